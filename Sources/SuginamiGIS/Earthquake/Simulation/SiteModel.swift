import Foundation

/// Site amplification per 250 m mesh cell: how the Vs 600 m/s motion of ``SiMidorikawa1999`` is
/// carried to the surface.
public struct SiteModel: Sendable, Hashable {
    /// How a cell's factor is found.
    public enum Source: Sendable, Hashable {
        /// One AVS30 everywhere, with a published convention.
        case uniformAVS30(Double, SiteAmplification.Convention)
        /// AVS30 per mesh code (others take `fallback`), with a convention.
        case avs30PerMesh([String: Double], SiteAmplification.Convention, fallback: Double)
        /// A PGV amplification factor (from the 600 m/s layer) per mesh code, as J-SHIS publishes them.
        case factorPerMesh([String: Double], fallback: Double)
    }

    /// The source.
    public let source: Source
    /// Ground class per mesh code, for fragility functions split by ground (TMG: soft ground is a
    /// predominant period of 0.5 s or more); cells not listed are ``GroundClass/any``.
    public let groundClasses: [String: GroundClass]
    /// What a run should list about it.
    public let assumption: String

    /// AVS30 400 m/s everywhere with Fujimoto & Midorikawa (2006): the value and convention of
    /// OpenQuake's peer job, so the two can be compared. An assumption, not Suginami's ground.
    public static let uniformAVS30of400 = SiteModel(
        source: .uniformAVS30(400, .fujimotoMidorikawa2006),
        assumption:
            "site: uniform AVS30 400 m/s, Fujimoto & Midorikawa (2006) amplification (×1.41 from Vs 600 m/s); "
            + "an assumption, not surveyed ground data")

    /// The ward's bundled DERIVED site model: a PGV factor per 250 m cell, larger on the valley
    /// floors of 善福寺川, 神田川 and 妙正寺川 (PLATEAU's flood depths of 0.5 m or more mark them)
    /// than on the terrace, in Tokyo's ground-class ratio (谷底低地2 1.8 : 台地1 1.6, SECONDARY),
    /// scaled by one constant calibrated so that under the bundled 多摩東部直下 scenario 46 % of
    /// the cells reach 震度6強 and 54 % 6弱, the split the ward published for that earthquake
    /// (`Tools/site-model/make_site_model.py` makes the file and says every step).
    ///
    /// Not surveyed ground: the calibrated constant (2.538 from the Vs 600 m/s layer, an
    /// equivalent AVS30 near 200 m/s) also absorbs the scenario's assumed geometry. J-SHIS's
    /// per-mesh AVS30 or factors load with ``init(csv:name:convention:)`` instead.
    /// - Throws: ``SiteModelError`` if the bundled file is missing or damaged.
    public static func bundledSuginami() throws(SiteModelError) -> SiteModel {
        let name = "site-suginami-derived.csv"
        guard
            let url = Bundle.suginamiGIS?.url(
                forResource: "site-suginami-derived", withExtension: "csv", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { throw SiteModelError(file: name, line: 0, reason: "bundled resource is missing") }
        let model = try SiteModel(csv: text, name: name + " (bundled)", convention: .fujimotoMidorikawa2006)
        return SiteModel(
            source: model.source, groundClasses: model.groundClasses,
            assumption: "site: DERIVED per-cell PGV factors (\(name), bundled): valley floors (PLATEAU flood depth "
                + "≥ 0.5 m) × 1.125 against the terrace, after Tokyo's ground classes 谷底低地2 1.8 / 台地1 1.6 "
                + "(SECONDARY); one constant (2.538 from Vs 600 m/s) calibrated so that the bundled 多摩東部直下 "
                + "gives 46 % of cells 震度6強 and 54 % 6弱, the ward's published split; not surveyed ground")
    }

    /// The AVS30 values accepted (m/s): J-SHIS's map spans about 100–1,500; below 50 is water,
    /// above 3,500 harder than any rock at the surface.
    public static let avs30Range = 50.0...3_500.0
    /// The PGV amplification factors accepted: published factors lie within 0.3–4.
    public static let amplificationRange = 0.1...10.0

    /// Creates a model.
    public init(source: Source, groundClasses: [String: GroundClass] = [:], assumption: String) {
        self.source = source
        self.groundClasses = groundClasses
        self.assumption = assumption
    }

    /// Reads `mesh_code,avs30` or `mesh_code,amplification` CSV (one header line), optionally
    /// with a third column `ground_class` (`soft`, `hard` or `any`).
    /// - Throws: ``SiteModelError`` naming the line: a bad mesh code, a duplicate, NaN or a
    ///   non-positive value, an unknown ground class, another header.
    public init(csv text: String, name: String, convention: SiteAmplification.Convention) throws(SiteModelError) {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let headers = ["mesh_code,avs30", "mesh_code,amplification"]
        guard let header = lines.first, headers.contains(where: { [$0, $0 + ",ground_class"].contains(header) })
        else {
            throw SiteModelError(
                file: name, line: 1,
                reason:
                    "header must be mesh_code,avs30 or mesh_code,amplification, optionally followed by ,ground_class")
        }
        let columns = header.split(separator: ",").count
        let isAVS30 = header.hasPrefix("mesh_code,avs30")
        var values: [String: Double] = [:]
        var grounds: [String: GroundClass] = [:]
        for (offset, line) in lines.dropFirst().enumerated() where !line.isEmpty {
            let number = offset + 2
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == columns else {
                throw SiteModelError(file: name, line: number, reason: "expected \(columns) fields")
            }
            guard let mesh = try? RegionalMeshCode(fields[0]), mesh.level == .quarter else {
                throw SiteModelError(
                    file: name, line: number, reason: "\"\(fields[0])\" is not a 250 m (1/4) mesh code")
            }
            guard let value = Double(fields[1]), value.isFinite, value > 0 else {
                throw SiteModelError(file: name, line: number, reason: "\"\(fields[1])\" is not a positive number")
            }
            let range = isAVS30 ? Self.avs30Range : Self.amplificationRange
            guard range.contains(value) else {
                throw SiteModelError(
                    file: name, line: number,
                    reason: "\(isAVS30 ? "AVS30" : "amplification") \(fields[1]) is outside "
                        + "\(range.lowerBound)–\(range.upperBound)\(isAVS30 ? " m/s" : ""): no ground has it")
            }
            guard values.updateValue(value, forKey: mesh.code) == nil else {
                throw SiteModelError(file: name, line: number, reason: "mesh \(mesh.code) appears twice")
            }
            if columns == 3 {
                guard let ground = GroundClass(rawValue: fields[2]) else {
                    throw SiteModelError(
                        file: name, line: number,
                        reason: "ground_class \"\(fields[2])\" is not one of \(GroundClass.allCases.map(\.rawValue))")
                }
                if ground != .any { grounds[mesh.code] = ground }
            }
        }
        guard !values.isEmpty else { throw SiteModelError(file: name, line: 2, reason: "no rows") }
        // Cells not in the file take the median value: one stated rule for both kinds of file.
        let median = values.values.sorted()[values.count / 2]
        groundClasses = grounds
        let groundNote =
            columns == 3
            ? "; ground classes from the file (\(grounds.values.filter { $0 == .soft }.count) soft, "
                + "\(grounds.values.filter { $0 == .hard }.count) hard, the rest any)"
            : "; no ground classes (functions for any ground)"
        if header.hasPrefix("mesh_code,avs30") {
            source = .avs30PerMesh(values, convention, fallback: median)
            assumption =
                "site: AVS30 per mesh from \(name) (\(values.count) cells), \(convention.rawValue); cells not in the "
                + "file take the median AVS30 \(median) m/s" + groundNote
        } else {
            source = .factorPerMesh(values, fallback: median)
            assumption =
                "site: PGV amplification per mesh from \(name) (\(values.count) cells); cells not in the file take the "
                + "median factor \(median)" + groundNote
        }
    }

    /// The ground class of a cell.
    func groundClass(mesh: String) -> GroundClass { groundClasses[mesh] ?? .any }

    /// ln of the PGV factor for a cell.
    func lnFactor(mesh: String) throws(GroundMotionError) -> Double {
        switch source {
        case .uniformAVS30(let avs30, let convention):
            return log(try SiteAmplification.pgvFactor(avs30: avs30, convention: convention))
        case .avs30PerMesh(let values, let convention, let fallback):
            return log(try SiteAmplification.pgvFactor(avs30: values[mesh] ?? fallback, convention: convention))
        case .factorPerMesh(let values, let fallback):
            return log(values[mesh] ?? fallback)
        }
    }
}

/// A problem in a site-data file.
public struct SiteModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The line.
    public var line: Int
    /// Why.
    public var reason: String

    /// `file:line: reason`.
    public var description: String { "\(file):\(line): \(reason)" }
}
