import Foundation
import SuginamiKit
import Testing

/// 住家被害認定: the grades at their boundaries, the order of the judgement (collapse, tilt,
/// parts), the part weights of each round, and survey records that cannot be judged.
@Suite struct DamageSurveyTests {
    let standard = DamageAssessmentStandard.reiwa3
    let date = Date(timeIntervalSince1970: 1_800_000_000)

    func survey(
        round: SurveyRound = .second, collapsed: Bool = false, tilt: TiltMeasurement? = nil,
        parts: [BuildingPart: Int] = [:]
    ) -> DamageSurvey {
        DamageSurvey(
            id: "S-1", buildingID: "13115-bldg-000123", surveyor: "杉並区 調査班3", surveyedAt: date, round: round,
            collapsed: collapsed, tilt: tilt, parts: parts)
    }

    /// Every boundary of the 令和3年 grades, and a hundredth of a percent below it.
    @Test(arguments: [
        (10_000, HouseDamageGrade.destroyed), (5_000, .destroyed), (4_999, .largeScaleHalfDestroyed),
        (4_000, .largeScaleHalfDestroyed), (3_999, .mediumScaleHalfDestroyed), (3_000, .mediumScaleHalfDestroyed),
        (2_999, .halfDestroyed), (2_000, .halfDestroyed), (1_999, .quasiHalfDestroyed), (1_000, .quasiHalfDestroyed),
        (999, .partlyDamaged), (0, .partlyDamaged),
    ])
    func gradesChangeExactlyAtTheirBoundaries(basisPoints: Int, grade: HouseDamageGrade) throws {
        #expect(standard.grade(for: try LossRatio(basisPoints: basisPoints)) == grade)
    }

    /// The parts' weighted shares make the loss ratio, to the hundredth of a percent: roof 100 %
    /// (15) + exterior walls 40 % (of 75 = 30) + foundation 50 % (of 10 = 5) is exactly 50 %:
    /// 全壊; one percent less of the exterior walls is 49.25 %: 大規模半壊.
    @Test func partsGiveTheLossRatioInTheFirstSurvey() throws {
        let full = try survey(round: .first, parts: [.roof: 100, .exteriorWalls: 40, .foundation: 50])
            .judged(by: standard)
        #expect(full.lossRatio?.basisPoints == 5_000 && full.grade == .destroyed && full.basis == .parts)
        #expect(full.japaneseSummary == "部位による判定: 損害割合 50.00 % → 全壊（令和3年3月）")
        let less = try survey(round: .first, parts: [.roof: 100, .exteriorWalls: 39, .foundation: 50])
            .judged(by: standard)
        #expect(less.lossRatio?.description == "49.25 %" && less.grade == .largeScaleHalfDestroyed)
    }

    /// The second survey looks at nine parts, whose weights make 100 %; every part wholly
    /// damaged is 100 %, none is 0 %.
    @Test func theSecondSurveyWeighsNineParts() throws {
        for round in SurveyRound.allCases {
            #expect(standard.partWeights[round]!.values.reduce(0, +) == 100, "\(round)")
        }
        #expect(standard.partWeights[.second]!.count == 9 && standard.partWeights[.first]!.count == 3)
        let all = Dictionary(uniqueKeysWithValues: BuildingPart.allCases.map { ($0, 100) })
        #expect(try survey(parts: all).judged(by: standard).lossRatio?.basisPoints == 10_000)
        #expect(try survey().judged(by: standard).grade == .partlyDamaged)
        // Interior damage only (walls 60 %, ceilings 100 %, fittings 80 %): 9 + 5 + 8 = 22 %.
        let interior = try survey(parts: [.interiorWalls: 60, .ceilings: 100, .fittings: 80]).judged(by: standard)
        #expect(interior.lossRatio?.basisPoints == 2_200 && interior.grade == .halfDestroyed)
    }

    /// A collapse seen from outside decides before anything else, and a tilt of 1/20 before the
    /// parts; a tilt just under 1/20 leaves it to the parts.
    @Test func collapseThenTiltThenParts() throws {
        let light: [BuildingPart: Int] = [.roof: 10]
        let collapsed = try survey(collapsed: true, parts: light).judged(by: standard)
        #expect(collapsed.grade == .destroyed && collapsed.basis == .exterior && collapsed.lossRatio == nil)
        // Mean offset 60 mm over a 1,200 mm line: exactly 1/20.
        let leaning = try survey(tilt: TiltMeasurement(offsets: [50, 70, 60, 60], plumbLength: 1_200), parts: light)
            .judged(by: standard)
        #expect(leaning.grade == .destroyed && leaning.basis == .tilt)
        let almost = try survey(tilt: TiltMeasurement(offsets: [50, 70, 60, 59], plumbLength: 1_200), parts: light)
            .judged(by: standard)
        #expect(almost.basis == .parts && almost.grade == .partlyDamaged && almost.lossRatio?.basisPoints == 150)
    }

    /// Records that are not surveys are refused, naming the field.
    @Test func recordsThatCannotBeJudgedAreRefused() {
        func refusal(_ survey: DamageSurvey) -> String {
            do {
                _ = try survey.judged(by: standard)
                return ""
            } catch {
                return error.description
            }
        }
        #expect(refusal(survey(round: .first, parts: [.pillars: 10])).contains("first survey does not judge 柱"))
        #expect(refusal(survey(parts: [.roof: 101])).contains("parts.roof: 101 %"))
        #expect(refusal(survey(parts: [.roof: -1])).contains("parts.roof: -1 %"))
        #expect(
            refusal(survey(tilt: TiltMeasurement(offsets: [1, 2, 3], plumbLength: 1_000))).contains(
                "3 corners measured"))
        #expect(refusal(survey(tilt: TiltMeasurement(offsets: [1, 2, 3, 4], plumbLength: 0))).contains("plumb_length"))
        #expect(
            refusal(survey(tilt: TiltMeasurement(offsets: [1, 2, 3, 1_001], plumbLength: 1_000)))
                .contains("1001 mm is outside 0–1000 mm"))
        var nobody = survey()
        nobody.surveyor = " "
        #expect(refusal(nobody) == "surveyor: missing")
        #expect(throws: DamageSurveyError.lossRatioOutOfRange(10_001)) { try LossRatio(basisPoints: 10_001) }
    }

    /// Grades order by severity; names are the certificate's.
    @Test func gradesOrderBySeverity() {
        #expect(HouseDamageGrade.allCases.sorted() == HouseDamageGrade.allCases)
        #expect(HouseDamageGrade.destroyed > .largeScaleHalfDestroyed && .partlyDamaged < .quasiHalfDestroyed)
        #expect(
            HouseDamageGrade.allCases.map(\.japaneseName) == ["準半壊に至らない（一部損壊）", "準半壊", "半壊", "中規模半壊", "大規模半壊", "全壊"])
        #expect(standard.sources.count == 3 && standard.edition == "令和3年3月")
    }
}
