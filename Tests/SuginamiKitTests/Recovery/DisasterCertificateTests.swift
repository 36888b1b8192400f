import Foundation
import SuginamiKit
import SuginamiTestSupport
import Testing

/// り災証明書: numbered per year, one per home and disaster, never edited (a re-issue, a
/// correction or a re-survey is a new version and the history keeps every one), and a printable
/// page that Chromium renders as one A4 page with the details on it.
@Suite struct DisasterCertificateTests {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        return calendar
    }()
    static func day(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 10) -> Date {
        calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h))!
    }
    let disaster = DisasterCertificate.Disaster(name: "令和9年4月1日 東京都心南部を震源とする地震", date: day(2027, 4, 1, 5))
    let home = DisasterCertificate.CertifiedHousehold(
        head: "杉並 太郎", address: "東京都杉並区阿佐谷南一丁目15番1号", buildingID: "13115-bldg-000123")

    func judgement(_ parts: [BuildingPart: Int]) throws -> DamageJudgement {
        try DamageSurvey(
            id: "S-1", buildingID: home.buildingID, surveyor: "調査班3", surveyedAt: Self.day(2027, 4, 10), round: .first,
            parts: parts
        ).judged(by: .reiwa3)
    }

    @Test func numbersCountWithinTheYearAndAHomeIsCertifiedOnce() throws {
        var ledger = CertificateLedger(issuer: "杉並区長")
        let judged = try judgement([.roof: 100, .exteriorWalls: 40, .foundation: 50])
        let first = try ledger.issue(
            household: home, disaster: disaster, cause: "地震（揺れ）", judgement: judged,
            surveyedAt: Self.day(2027, 4, 10), at: Self.day(2027, 4, 20))
        #expect(first.number.description == "2027-000001" && first.version == 1 && first.judgement.grade == .destroyed)
        var neighbour = home
        neighbour.buildingID = "13115-bldg-000124"
        neighbour.head = "阿佐谷 花子"
        let second = try ledger.issue(
            household: neighbour, disaster: disaster, cause: "地震（揺れ）", judgement: judged,
            surveyedAt: Self.day(2027, 4, 10), at: Self.day(2027, 4, 20))
        #expect(second.number == CertificateNumber(year: 2027, serial: 2))
        // The same home and disaster again: refused, naming the certificate to re-issue.
        #expect(throws: CertificateError.alreadyIssued(first.number)) {
            try ledger.issue(
                household: home, disaster: disaster, cause: "地震（揺れ）", judgement: judged,
                surveyedAt: Self.day(2027, 4, 10), at: Self.day(2027, 4, 21))
        }
        // A new year in Japan starts at 1 (00:30 on 1 January in Tokyo is still 31 December in UTC).
        let newYear = try ledger.issue(
            household: DisasterCertificate.CertifiedHousehold(head: "荻窪 一郎", address: "東京都杉並区荻窪五丁目", buildingID: "b9"),
            disaster: disaster, cause: "地震（揺れ）", judgement: judged, surveyedAt: Self.day(2027, 12, 20),
            at: Self.day(2028, 1, 1, 0))
        #expect(newYear.number.description == "2028-000001")
    }

    @Test func everyChangeIsANewVersionAndTheHistoryKeepsThemAll() throws {
        var ledger = CertificateLedger(issuer: "杉並区長")
        let issued = try ledger.issue(
            household: home, disaster: disaster, cause: "地震（揺れ）",
            judgement: try judgement([.roof: 60, .exteriorWalls: 30]), surveyedAt: Self.day(2027, 4, 10),
            at: Self.day(2027, 4, 20))
        #expect(issued.judgement.grade == .mediumScaleHalfDestroyed)  // 9 + 22.5 = 31.5 %
        let lost = try ledger.reissue(issued.number, reason: "紛失", at: Self.day(2027, 5, 1))
        var corrected = home
        corrected.address = "東京都杉並区阿佐谷南一丁目15番2号"
        let fixed = try ledger.correct(issued.number, household: corrected, reason: "所在地の誤記", at: Self.day(2027, 5, 2))
        let second = try DamageSurvey(
            id: "S-2", buildingID: home.buildingID, surveyor: "調査班7", surveyedAt: Self.day(2027, 5, 20), round: .second,
            parts: [.roof: 80, .pillars: 60, .exteriorWalls: 70, .interiorWalls: 60, .foundation: 40]
        ).judged(by: .reiwa3)
        let resurveyed = try ledger.resurvey(
            issued.number, judgement: second, surveyedAt: Self.day(2027, 5, 20), at: Self.day(2027, 5, 25))
        #expect(resurveyed.judgement.grade == .largeScaleHalfDestroyed && resurveyed.version == 4)
        #expect(resurveyed.household.address == corrected.address)  // the correction stays
        let history = ledger.history(issued.number)
        #expect(history.map(\.version) == [1, 2, 3, 4])
        #expect(history.map(\.change) == [nil, .reissue(reason: "紛失"), .correction(reason: "所在地の誤記"), .resurvey])
        #expect(history[0].household.address == home.address && history[0].judgement == issued.judgement)
        #expect(lost.judgement == issued.judgement && fixed.household == corrected)
        #expect(ledger.current(issued.number) == resurveyed)
        // What is refused, with the field.
        #expect(throws: CertificateError.missing("reason")) {
            try ledger.reissue(issued.number, reason: " ", at: Self.day(2027, 6, 1))
        }
        #expect(throws: CertificateError.unknown(CertificateNumber(year: 2027, serial: 99))) {
            try ledger.reissue(CertificateNumber(year: 2027, serial: 99), reason: "紛失", at: Self.day(2027, 6, 1))
        }
        #expect(throws: CertificateError.resurveyNotNewer) {
            try ledger.resurvey(
                issued.number, judgement: second, surveyedAt: Self.day(2027, 5, 1), at: Self.day(2027, 6, 1))
        }
        #expect(throws: CertificateError.issuedBeforeThePrevious) {
            try ledger.reissue(issued.number, reason: "紛失", at: Self.day(2027, 5, 24))
        }
        var nameless = home
        nameless.head = ""
        #expect(throws: CertificateError.missing("household.head")) {
            try ledger.issue(
                household: nameless, disaster: disaster, cause: "地震", judgement: second,
                surveyedAt: Self.day(2027, 4, 10), at: Self.day(2027, 4, 20))
        }
        #expect(throws: CertificateError.issuedBeforeTheSurvey) {
            var other = home
            other.buildingID = "b2"
            _ = try ledger.issue(
                household: other, disaster: disaster, cause: "地震", judgement: second,
                surveyedAt: Self.day(2027, 4, 10), at: Self.day(2027, 4, 9))
        }
    }

    /// The page: every detail escaped, the era dates, the grade; Chromium prints it as exactly
    /// one A4 page, and its screenshot has the title, the table and the issuer where a reader
    /// looks for them (kept in .build/screenshots/ to look at).
    @Test func thePageIsOneA4PageWithTheDetailsOnIt() throws {
        var ledger = CertificateLedger(issuer: "杉並区長")
        var household = home
        household.head = "杉並 太郎 <script>alert(1)</script>"
        let issued = try ledger.issue(
            household: household, disaster: disaster, cause: "地震（揺れ）",
            judgement: try judgement([.roof: 100, .exteriorWalls: 40, .foundation: 50]),
            surveyedAt: Self.day(2027, 4, 10), at: Self.day(2027, 4, 20))
        let reissued = try ledger.reissue(issued.number, reason: "紛失", at: Self.day(2027, 5, 1))
        let html = reissued.printableHTML()
        #expect(!html.contains("<script>alert") && html.contains("杉並 太郎 &lt;script&gt;"))
        for text in [
            "第 2027-000001 号（第2版）", "り災証明書", "令和9年4月1日", "令和9年4月10日", "令和9年5月1日", "全壊",
            "部位による判定: 損害割合 50.00 % → 全壊（令和3年3月）", "再交付（紛失）", "第1版以前の証明書に代わるもの", "杉並区長",
            "size: A4 portrait",
        ] {
            #expect(html.contains(text), "\(text)")
        }

        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("certificate.html")
        try Data(html.utf8).write(to: page)
        let chromium = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        ]
        let pdf = directory.appendingPathComponent("certificate.pdf")
        let printed = try Programs.run(
            "/usr/bin/chromium",
            chromium + ["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", page.absoluteString])
        #expect(printed.status == 0, "\(printed.stderr)")
        let document = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
        // "/Type /Page" also begins "/Type /Pages", the page tree.
        let pages =
            document.components(separatedBy: "/Type /Page").count
            - document.components(separatedBy: "/Type /Pages").count
        #expect(pages == 1, "\(pages) pages")
        // A4 is 595.28 × 841.89 points; Chromium writes its media box rounded.
        let box = try #require(document.firstMatch(of: /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/)?.output)
        #expect(abs(Double(box.1)! - 595.28) < 1 && abs(Double(box.2)! - 841.89) < 1, "\(box.0)")

        let screenshots = Programs.repositoryRoot.appendingPathComponent(".build/screenshots")
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let png = screenshots.appendingPathComponent("certificate.png")
        let shot = try Programs.run(
            "/usr/bin/chromium", chromium + ["--window-size=900,1250", "--screenshot=\(png.path)", page.absoluteString])
        #expect(shot.status == 0, "\(shot.stderr)")
        let ink = try Programs.run(
            "/usr/bin/python3",
            [Programs.repositoryRoot.appendingPathComponent("Tests/Clients/png-ink.py").path, png.path])
        #expect(ink.status == 0, "\(ink.stderr)")
        let fields = ink.stdout.split(separator: " ").compactMap {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try #require(fields.count == 12, "\(ink.stdout)")
        #expect(fields[0] == 900 && fields[1] == 1250)
        // Text and rules in the top (number, title), the middle (the table) and near the bottom
        // (statement, issuer): a blank or half-drawn page fails.
        let bands = Array(fields[2...])
        #expect(bands[1] > 0.002 && bands[3] > 0.01 && bands[6] > 0.002, "\(bands)")
    }
}
