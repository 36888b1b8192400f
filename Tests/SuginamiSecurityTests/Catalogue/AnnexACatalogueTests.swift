import Testing

@testable import SuginamiSecurity

@Suite("ISO/IEC 27001:2022 Annex A catalogue")
struct AnnexACatalogueTests {
    @Test func bundledCatalogueHasTheFourThemes() throws {
        let catalogue = try AnnexACatalogue.bundled()
        #expect(catalogue.controls.count == 93)
        let counts = Dictionary(grouping: catalogue.controls, by: \.theme).mapValues(\.count)
        #expect(counts == [.organizational: 37, .people: 8, .physical: 14, .technological: 34])
        #expect(catalogue.control(id: "8.22")?.oscalID == "a.8.22")
        #expect(catalogue.control(id: "9.1") == nil)
    }

    static let header = "id,theme,title\n"

    @Test func rejectsDuplicateIDs() {
        let csv = Self.header + "5.1,Organizational,A\n5.1,Organizational,B\n"
        #expect(throws: CatalogueError(file: "c.csv", line: 3, reason: "duplicate id 5.1")) {
            try AnnexACatalogue(csv: csv, file: "c.csv")
        }
    }

    @Test func rejectsThemeThatDoesNotMatchTheClause() {
        let csv = Self.header + "5.1,People,A\n"
        #expect(throws: CatalogueError(file: "c.csv", line: 2, reason: "control 5.1 is not in clause 6 (People)")) {
            try AnnexACatalogue(csv: csv, file: "c.csv")
        }
    }

    @Test func rejectsGapsAndShortCatalogues() {
        #expect(throws: CatalogueError.self) {
            try AnnexACatalogue(csv: Self.header + "5.2,Organizational,A\n", file: "c")
        }
        #expect(throws: CatalogueError(file: "c", line: 3, reason: "1 controls; the 2022 edition has 93")) {
            try AnnexACatalogue(csv: Self.header + "5.1,Organizational,A\n", file: "c")
        }
    }

    @Test func titlesWithCommasAreReadWhole() throws {
        let catalogue = try AnnexACatalogue.bundled()
        #expect(catalogue.controls.allSatisfy { !$0.title.contains("\"") })
        let titles = Dictionary(uniqueKeysWithValues: catalogue.controls.map { ($0.id, $0.title) })
        #expect(titles["5.31"] == "Legal, statutory, regulatory and contractual requirements")
        #expect(titles["8.31"] == "Separation of development, test and production environments")
        #expect(catalogue.controls.filter { $0.title.contains(",") }.count == 6)
    }

    @Test func everyBundledRuleSaysWhatToDoInJapaneseAndEnglish() throws {
        let rules = try RuleCatalogue.bundled().rules
        #expect(rules.count >= 36)
        for rule in rules {
            let remediation = try #require(rule.remediation, "\(rule.id)")
            #expect(
                remediation.ja.unicodeScalars.contains { $0.value > 0x3000 } && remediation.en.count > 20, "\(rule.id)")
        }
    }
}
