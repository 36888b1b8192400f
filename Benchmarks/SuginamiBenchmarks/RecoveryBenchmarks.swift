import Benchmark
import Foundation
import SuginamiGIS
import SuginamiKit

/// The people workflows at the scale of a ward-wide disaster (target: "in seconds" each):
/// 100,000 households and 50,000 damage surveys imported (CSV read, checked, sealed, saved in
/// one transaction), a household's register record asked for, certificates issued, the ward's
/// figures counted, and headquarters' safety overview of a 20,000-person roster. The store is a
/// real SQLite file holding 100,000 buildings (made up: ids and positions only).
func recoveryBenchmarks() {
    let metrics: [BenchmarkMetric] = [.wallClock, .peakMemoryResident]
    Benchmark(
        "Recovery: import 100,000 households from CSV (read, check, seal, save)",
        configuration: .init(metrics: metrics, maxDuration: .seconds(30), maxIterations: 3)
    ) { benchmark in
        let ward = try await RecoveryWard.shared.prepared()
        for _ in benchmark.scaledIterations {
            let households = try HouseholdReader.read(ward.householdsCSV, file: "households.csv").records
            try await ward.store.saveHouseholds(
                households, key: ward.key, retainUntil: ward.retainUntil, by: .localTool("benchmark"))
        }
    }
    Benchmark(
        "Recovery: import 50,000 damage surveys from CSV (read, judge, save)",
        configuration: .init(metrics: metrics, maxDuration: .seconds(30), maxIterations: 3)
    ) { benchmark in
        let ward = try await RecoveryWard.shared.prepared()
        // A survey is never replaced: each run files new form numbers, made before the clock starts.
        let csv = RecoveryWard.surveysCSV(count: 50_000, prefix: "R-\(UUID().uuidString.prefix(8))")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let surveys = try DamageSurveyReader.read(csv, file: "surveys.csv", standard: .reiwa3).records
            try await ward.store.saveSurveys(surveys, by: .localTool("benchmark"))
        }
        benchmark.stopMeasurement()
    }
    Benchmark(
        "Recovery: register record of a household (被災者台帳), 1,000 queries among 100,000",
        configuration: .init(metrics: [.wallClock], maxDuration: .seconds(10), maxIterations: 5)
    ) { benchmark in
        let ward = try await RecoveryWard.shared.prepared()
        for _ in benchmark.scaledIterations {
            for index in stride(from: 0, to: 100_000, by: 100) {
                blackHole(
                    try await ward.store.registerEntry(
                        householdID: "H-\(index)", key: ward.key, by: RecoveryWard.headquarters, from: "benchmark",
                        purpose: "benchmark"))
            }
        }
    }
    Benchmark(
        "Recovery: issue 1,000 り災証明書 among 100,000 households",
        configuration: .init(metrics: [.wallClock], maxDuration: .seconds(10), maxIterations: 3)
    ) { benchmark in
        let ward = try await RecoveryWard.shared.prepared()
        for _ in benchmark.scaledIterations {
            // Even households: their dwellings are the surveyed ones.
            let start = await RecoveryWard.shared.nextHouseholds(2_000)
            for index in stride(from: start, to: start + 2_000, by: 2) {
                blackHole(
                    try await ward.store.issueCertificate(
                        householdID: "H-\(index)", disaster: RecoveryWard.disaster, cause: "地震", issuer: "杉並区長",
                        key: ward.key, by: RecoveryWard.headquarters, from: "benchmark", now: RecoveryWard.counterDay))
            }
        }
    }
    Benchmark(
        "Recovery: the ward's figures over 100,000 households and 50,000+ surveys",
        configuration: .init(metrics: [.wallClock], maxDuration: .seconds(10), maxIterations: 5)
    ) { benchmark in
        let ward = try await RecoveryWard.shared.prepared()
        for _ in benchmark.scaledIterations { blackHole(try await ward.store.recoveryReport()) }
    }
    Benchmark(
        "People: headquarters' safety overview of a 20,000-person roster (open, check, count per town)",
        configuration: .init(metrics: [.wallClock], maxDuration: .seconds(10), maxIterations: 5)
    ) { benchmark in
        let ward = try await RecoveryWard.shared.prepared()
        for _ in benchmark.scaledIterations {
            blackHole(
                try await ward.safety.overview(for: RecoveryWard.headquarters, from: "benchmark", purpose: "benchmark"))
        }
    }
}

/// A store with 100,000 buildings, their households and surveys, and a 20,000-person roster
/// with a safety check for every fourth person; made up, in a temporary directory.
private actor RecoveryWard {
    static let shared = RecoveryWard()
    static let headquarters = Principal(tokenID: "benchmark", role: .headquarters, label: "benchmark")
    /// The day the certificates are issued: after every survey.
    static let counterDay = Date(timeIntervalSince1970: 1_811_000_000)  // 2027-05-23
    static let disaster = DisasterCertificate.Disaster(
        name: "ベンチマーク地震", date: Date(timeIntervalSince1970: 1_806_523_200))

    struct Prepared: Sendable {
        let store: SuginamiStore
        let key: PersonalDataKey
        let householdsCSV: Data
        let retainUntil: Date
        let safety: SafetyConfirmation
    }

    private var prepared: Prepared?
    private var issued = 0

    func nextHouseholds(_ count: Int) -> Int {
        defer { issued += count }
        return issued
    }

    func prepared() async throws -> Prepared {
        if let prepared { return prepared }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recovery-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SuginamiStore(path: directory.appendingPathComponent("store.sqlite").path)
        let key = try PersonalDataKey.generate(at: directory.appendingPathComponent("people.key"))
        let dataset = try SuginamiDataset.bundled()
        try await store.write { transaction in try transaction.save(dataset.towns) }
        var random = SplitMix64(seed: 23)
        let buildings = try (0..<100_000).map { index in
            Building(
                id: "B-\(index)",
                position: try GeoPoint(
                    latitude: 35.68 + random.nextUnit() * 0.04, longitude: 139.60 + random.nextUnit() * 0.07),
                structure: .wooden, isSynthetic: true)
        }
        try await store.write { transaction in try transaction.insert(buildings) }
        var lines = ["household_id,head,address,building_id,members"]
        for index in 0..<100_000 {
            lines.append("H-\(index),世帯主 \(index),東京都杉並区テスト町\(index % 500)番\(index % 37)号,B-\(index),\(1 + index % 5)")
        }
        let householdsCSV = Data((lines.joined(separator: "\n") + "\n").utf8)
        let retainUntil = Date(timeIntervalSinceNow: 30 * 86_400)
        try await store.saveHouseholds(
            try HouseholdReader.read(householdsCSV, file: "households.csv").records, key: key, retainUntil: retainUntil,
            by: .localTool("benchmark"))
        try await store.saveSurveys(
            try DamageSurveyReader.read(Self.surveysCSV(count: 50_000, prefix: "S"), file: "s.csv", standard: .reiwa3)
                .records, by: .localTool("benchmark"))
        let roster = try (0..<20_000).map { index in
            PersonNeedingSupport(
                id: "P-\(index)", name: "要支援 \(index)", kana: "ようしえん", address: "東京都杉並区テスト町",
                position: buildings[index * 5].position, dateOfBirth: try CalendarDay(year: 1940, month: 1, day: 1),
                needs: [.wheelchair], consent: .consented, reliefCentreID: "RC-\(index % 65)")
        }
        try await store.saveRoster(roster, key: key, retainUntil: retainUntil, by: .localTool("benchmark"))
        for index in stride(from: 0, to: 20_000, by: 4) {
            try await store.recordSafetyCheck(
                SafetyCheck(personID: "P-\(index)", state: .safeAtHome, observedAt: Date(), source: "benchmark"),
                by: Self.headquarters, from: "benchmark", key: key)
        }
        let safety = SafetyConfirmation(
            store: store, key: key, policy: PersonalDataPolicy(disasterDeclared: true), towns: dataset.towns,
            damage: nil)
        let ready = Prepared(
            store: store, key: key, householdsCSV: householdsCSV, retainUntil: retainUntil, safety: safety)
        prepared = ready
        return ready
    }

    /// `count` first-round surveys of buildings B-0…, every other one damaged by parts.
    static func surveysCSV(count: Int, prefix: String) -> Data {
        var lines = ["survey_id,building_id,surveyor,surveyed_at,round,collapsed,parts"]
        lines.reserveCapacity(count + 1)
        for index in 0..<count {
            let parts = "roof=\(index % 101);exterior_walls=\((index * 7) % 101);foundation=\((index * 13) % 101)"
            lines.append(
                "\(prefix)-\(index),B-\(index * 2),調査班\(index % 40),2027-04-\(10 + index % 20)T10:00:00+09:00,first,"
                    + "\(index % 50 == 0 ? "1" : ""),\(parts)")
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }
}
