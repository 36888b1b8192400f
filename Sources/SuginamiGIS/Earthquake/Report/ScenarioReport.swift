import Foundation
import SuginamiCore
import SuginamiKit

/// The report of a scenario (見える化) for planning drills per district: PNG maps per 250 m cell
/// and per town of collapse, burning and their change under mitigation; an HTML page in
/// Japanese and one in English with the maps, the ward totals and the towns ranked by risk and
/// by the benefit of mitigation; the town layer as GeoJSON; and the provenance of every value.
public struct ScenarioReport: Sendable {
    /// The baseline run.
    public var baseline: DamageSimulationResult
    /// The mitigated run and its comparison, if any.
    public var mitigation: (result: DamageSimulationResult, comparison: MitigationComparison, notes: [String])?
    /// The ward's towns (names and boundaries).
    public var towns: [Town]
    /// The scenario's description (where its values come from).
    public var description: String
    /// Lines of attribution for the maps.
    public var attribution: [String]
    /// What the buildings are, for the page's warning.
    public var buildings: BuildingsKind
    /// How the burnt count moves with the fire assumptions: the tornado chart and its table.
    public var fireSensitivity: FireSensitivity?
    /// What each relief centre must take in: the map of loads and the table of centres.
    public var shelterDemand: ShelterDemand?
    /// The occupancy the collapse deaths were counted at.
    public var occupancy: Occupancy
    /// The fire parameters the run took (with the suppression formula's area), if fire ran.
    public var fireParameters: FireParameters?

    /// What a run's buildings are: the report says so before any figure.
    public enum BuildingsKind: Sendable, Hashable {
        /// Generated records, not real buildings.
        case synthetic
        /// Real footprints (PLATEAU) with structure and age assumed.
        case realFootprintsAssumedAttributes
        /// A register's records.
        case register

        /// The kind of a set of buildings.
        public init(_ buildings: [Building]) {
            if buildings.allSatisfy(\.isSynthetic) {
                self = .synthetic
            } else if buildings.contains(where: { !$0.isSynthetic && !$0.assumedAttributes.isEmpty }) {
                self = .realFootprintsAssumedAttributes
            } else {
                self = .register
            }
        }
    }

    /// Creates a report.
    public init(
        baseline: DamageSimulationResult,
        mitigation: (result: DamageSimulationResult, comparison: MitigationComparison, notes: [String])?, towns: [Town],
        description: String, attribution: [String], buildings: BuildingsKind = .synthetic,
        fireSensitivity: FireSensitivity? = nil, shelterDemand: ShelterDemand? = nil, occupancy: Occupancy = .fiveAM,
        fireParameters: FireParameters? = nil
    ) {
        self.baseline = baseline
        self.mitigation = mitigation
        self.towns = towns
        self.description = description
        self.attribution = attribution
        self.buildings = buildings
        self.fireSensitivity = fireSensitivity
        self.shelterDemand = shelterDemand
        self.occupancy = occupancy
        self.fireParameters = fireParameters
    }

    /// One ranked town.
    struct Row {
        var code: String
        var name: String
        var buildings: Int
        var collapsed: DamageSimulationResult.Range?
        var burnt: DamageSimulationResult.Range?
        var deaths: Double
        var benefit: [MitigationComparison.Measure: MitigationComparison.Difference]
        var lost: Double { (collapsed?.mean ?? 0) + (burnt?.mean ?? 0) }
        /// Expected collapsed + burnt per 100 of the town's buildings: the risk a resident of
        /// the town faces, not its size (the count alone ranks the largest towns first).
        var lostPer100: Double { buildings > 0 ? lost / Double(buildings) * 100 : 0 }
    }

    var rows: [Row] {
        let names = Dictionary(towns.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let collapseIndex = baseline.states.firstIndex(of: .collapse)
        let benefit = Dictionary(
            (mitigation?.comparison.towns ?? []).map { ($0.town, $0.differences) }, uniquingKeysWith: { a, _ in a })
        return baseline.towns.enumerated().map { index, town in
            Row(
                code: town.town, name: names[town.town] ?? "—", buildings: town.buildings,
                collapsed: collapseIndex.map { town.damage[$0] }, burnt: baseline.fire?.towns[index],
                deaths: (town.woodenDeaths ?? 0) + (town.nonWoodenDeaths ?? 0)
                    + (baseline.fire?.townDeaths[index] ?? 0),
                benefit: benefit[town.town] ?? [:])
        }
    }

    /// What a report directory is to `OutputDirectory`: a report replaces only an earlier report.
    public static let outputKind = "scenario-report"

    /// Writes maps, pages and layers into `directory`, all or nothing, as an `OutputDirectory`:
    /// `directory` must be new, empty, or an earlier report written by the SDK.
    /// - Returns: the files written.
    /// - Throws: `OutputDirectoryError` if `directory` holds anything else; rendering and file errors.
    @discardableResult
    public func write(to directory: URL) throws -> [String] {
        try OutputDirectory(directory, kind: Self.outputKind).write { try writeFiles(into: $0) }
    }

    private func writeFiles(into directory: URL) throws -> [String] {
        var written: [String] = []
        for (name, map) in maps() {
            try map.png().write(to: directory.appendingPathComponent(name))
            written.append(name)
        }
        if let fireSensitivity {
            let chart = TornadoChart(
                title: "\(baseline.scenario.uppercased()): BURNT BUILDINGS BY ASSUMPTION",
                unit: "BUILDINGS", baseline: fireSensitivity.baseline,
                bars: fireSensitivity.rows.map {
                    TornadoChart.Bar(
                        // The bitmap font has no "×".
                        label: $0.assumption.uppercased(), lowLabel: $0.low.replacingOccurrences(of: "×", with: "X"),
                        highLabel: $0.high.replacingOccurrences(of: "×", with: "X").uppercased(), low: $0.burntLow,
                        high: $0.burntHigh)
                },
                notes: [
                    "EACH ASSUMPTION SET LOW (BLUE) AND HIGH (ORANGE), THE OTHERS AT THE RUN'S VALUES;",
                    "\(fireSensitivity.events) EVENTS EACH, THE RUN'S RANDOM NUMBERS. MONTE CARLO RANGES DO NOT INCLUDE THIS.",
                ] + attribution)
            try chart.png().write(to: directory.appendingPathComponent("burnt-sensitivity.png"))
            written.append("burnt-sensitivity.png")
        }
        // The pages show the maps only: each page was once listed in the next one's images.
        let images = written
        for language in [Language.japanese, .english] {
            let name = "report.\(language.rawValue).html"
            try Data(html(language, images: images).utf8).write(to: directory.appendingPathComponent(name))
            written.append(name)
        }
        try townsGeoJSON().write(to: directory.appendingPathComponent("towns.geojson"))
        written.append("towns.geojson")
        try GeoPackageWriter.write(try geoPackageLayers(), to: directory.appendingPathComponent("layers.gpkg"))
        written.append("layers.gpkg")
        return written
    }

    /// The maps by file name.
    func maps() -> [(String, ChoroplethMap)] {
        let byCode = Dictionary(towns.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let borders = towns.map(\.boundary)
        func townAreas(_ value: (Int) -> Double?) -> [ChoroplethMap.Area] {
            baseline.towns.enumerated().compactMap { index, town in
                byCode[town.town].map { ChoroplethMap.Area(shape: $0.boundary, value: value(index)) }
            }
        }
        func cellAreas(_ value: (Int) -> Double?) -> [ChoroplethMap.Area] {
            baseline.cells.enumerated().compactMap { index, cell in
                guard let shape = try? RegionalMeshCode(cell.mesh).outline else { return nil }
                return ChoroplethMap.Area(shape: shape, value: value(index))
            }
        }
        let title = baseline.scenario
        var maps: [(String, ChoroplethMap)] = []
        // Japanese first, English after: the ward's maps are read in Japanese.
        func add(
            _ file: String, _ heading: (ja: String, en: String), _ legend: String, _ scale: ColorScale,
            _ areas: [ChoroplethMap.Area], breaks: [Double]? = nil, labels: [(point: GeoPoint, text: String)] = []
        ) {
            maps.append(
                (
                    file,
                    ChoroplethMap(
                        title: "\(title)：\(heading.ja)  \(heading.en)", legendTitle: legend, scale: scale,
                        areas: areas, borders: borders, attribution: attribution, classBreaks: breaks,
                        labels: labels)
                ))
        }
        // The ten towns with the highest value get their names on a town map.
        func topTowns(_ value: (Int) -> Double?) -> [(point: GeoPoint, text: String)] {
            baseline.towns.indices.compactMap { index in value(index).map { (index, $0) } }
                .sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(10)
                .compactMap { index, _ in
                    byCode[baseline.towns[index].town].flatMap { town in
                        town.boundary.polygons.max { $0.approximateArea < $1.approximateArea }
                            .map { ($0.approximateCentroid, town.name) }
                    }
                }
        }
        if let collapse = baseline.states.firstIndex(of: .collapse) {
            add(
                "collapse-mesh.png", ("全壊棟数（250mメッシュ）", "collapsed per 250 m cell"), "棟 buildings", .viridis,
                cellAreas { self.baseline.cells[$0].damage[collapse].mean })
            let perTown: (Int) -> Double? = { self.baseline.towns[$0].damage[collapse].mean }
            add(
                "collapse-towns.png", ("町丁目別の全壊棟数", "collapsed per town"), "棟 buildings", .viridis,
                townAreas(perTown), labels: topTowns(perTown))
        }
        if let fire = baseline.fire {
            add(
                "burnt-mesh.png", ("焼失棟数（250mメッシュ）", "burnt per 250 m cell"), "棟 buildings", .viridis,
                cellAreas { fire.cells[$0].mean })
            let perTown: (Int) -> Double? = { fire.towns[$0].mean }
            add(
                "burnt-towns.png", ("町丁目別の焼失棟数", "burnt per town"), "棟 buildings", .viridis,
                townAreas(perTown), labels: topTowns(perTown))
        }
        if let shelterDemand, shelterDemand.centreOfCell.count == baseline.cells.count {
            // 1 is where a centre overflows: classes around it, the last up to the fullest.
            let fullest = shelterDemand.centres.compactMap(\.load).max() ?? 0
            add(
                "shelter-load-mesh.png", ("震災救援所の需要／収容人数", "relief-centre load"), "需要/収容 load", .viridis,
                cellAreas { shelterDemand.centreOfCell[$0].flatMap { shelterDemand.centres[$0].load } },
                breaks: [0, 0.5, 1, 2, 4, max(8, ChoroplethMap.roundUp(fullest))])
        }
        if let mitigation {
            let comparison = mitigation.comparison
            if let collapse = baseline.states.firstIndex(of: .collapse),
                mitigation.result.cells.map(\.mesh) == baseline.cells.map(\.mesh)
            {
                add(
                    "collapse-reduction-mesh.png", ("対策による全壊の減少（メッシュ）", "fewer collapses per cell"),
                    "棟 buildings", .purpleOrange,
                    cellAreas {
                        self.baseline.cells[$0].damage[collapse].mean
                            - mitigation.result.cells[$0].damage[collapse].mean
                    })
            }
            let fewerCollapses: (Int) -> Double? = { comparison.towns[$0].differences[.collapsed]?.reduction }
            add(
                "collapse-reduction-towns.png", ("対策による全壊の減少（町丁目）", "fewer collapses per town"),
                "棟 buildings", .purpleOrange, townAreas(fewerCollapses), labels: topTowns(fewerCollapses))
            if let fire = baseline.fire, let mitigatedFire = mitigation.result.fire {
                add(
                    "burnt-reduction-mesh.png", ("対策による焼失の減少（メッシュ）", "fewer burnt per cell"),
                    "棟 buildings", .purpleOrange, cellAreas { fire.cells[$0].mean - mitigatedFire.cells[$0].mean })
                let fewerBurnt: (Int) -> Double? = { comparison.towns[$0].differences[.burnt]?.reduction }
                add(
                    "burnt-reduction-towns.png", ("対策による焼失の減少（町丁目）", "fewer burnt per town"),
                    "棟 buildings", .purpleOrange, townAreas(fewerBurnt), labels: topTowns(fewerBurnt))
            }
        }
        return maps
    }

    /// Towns by expected loss per building, then by code for ties.
    static func rankedByRisk(_ rows: [Row]) -> [Row] {
        rows.sorted { ($0.lostPer100, $1.code) > ($1.lostPer100, $0.code) }
    }

    private var buildingsWarningJapanese: String {
        switch buildings {
        case .synthetic: "建物は合成データ（実在しない建物）、"
        case .realFootprintsAssumedAttributes:
            "建物の位置・形状・高さは実データ（3D都市モデル PLATEAU 2020）ですが、構造・建築年・階数・防火性能は仮定です。"
        case .register: ""
        }
    }

    private var buildingsWarningEnglish: String {
        switch buildings {
        case .synthetic: "The buildings are synthetic. "
        case .realFootprintsAssumedAttributes:
            "The buildings' outlines and heights are real (3D city model PLATEAU 2020); their structure, age, storeys and fire resistance are assumed. "
        case .register: ""
        }
    }

    enum Language: String {
        case japanese = "ja"
        case english = "en"
    }

    /// Which terms of TMG's evacuee formula the demand includes, and whether it is a floor.
    static func evacueeTerms(_ demand: ShelterDemand, ja: Bool) -> String {
        let half =
            demand.includesHalfCollapse
            ? (ja ? "半壊（50.3%）を含み、" : "半壊 (50.3 %) is included. ")
            : (ja ? "半壊は被害関数にないため含まず、" : "半壊 is left out (the damage functions have none). ")
        let lifeline =
            demand.lifelineShare.map {
                ja
                    ? "ライフライン停止による避難は入力された割合\(String(format: "%.1f", $0 * 100))%で含みます。"
                    : "Lifeline evacuees are included at the given \(String(format: "%.1f", $0 * 100)) %. "
            }
            ?? (ja
                ? "ライフライン停止による避難者は割合が未入手のため含みません。"
                : "Lifeline evacuees are left out (their rates were not found). ")
        let floor = demand.isFloor ? (ja ? "このため下限の推計です。" : "So it is a floor. ") : ""
        return half + lifeline + floor
    }

    /// What the collapse deaths' hour and occupancy are, for the ward table.
    func occupancyNote(ja: Bool) -> String {
        guard ja else { return "\(occupancy.hour) h, occupancy \(occupancy.summary)" }
        switch occupancy.basis {
        case .definition: return "午前5時の滞留率"
        case .derived: return "\(occupancy.hour)時：滞留率 \(String(format: "%.3f", occupancy.wooden))（都の公表値から推定）"
        case .fiveAMStandIn: return "\(occupancy.hour)時の滞留率は未入手のため午前5時の値で計算"
        case .given:
            return "\(occupancy.hour)時：滞留率 木造・非木造 "
                + "\(String(format: "%.3f / %.3f", occupancy.wooden, occupancy.nonWooden))（入力値）"
        }
    }

    func html(_ language: Language, images: [String]) -> String {
        let ja = language == .japanese
        func t(_ japanese: String, _ english: String) -> String { ja ? japanese : english }
        func escape(_ text: String) -> String { text.htmlEscaped }
        func number(_ value: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", value) }
        func range(_ r: DamageSimulationResult.Range?) -> String {
            guard let r else { return "—" }
            return "\(number(r.mean)) <small>(\(number(r.p5))–\(number(r.p95)))</small>"
        }
        let rows = rows
        var page = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8">
            <title>\(escape(baseline.scenario)) — \(t("被害想定レポート", "damage report"))</title>
            <style>body{font-family:sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
            table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #aaa;padding:.25rem .5rem;text-align:right}
            td:first-child,td:nth-child(2),th{text-align:left}img{max-width:100%;border:1px solid #ccc}
            .warning{background:#fff3cd;border:1px solid #e0c060;padding:.5rem 1rem}small{color:#555}</style></head><body>
            <h1>\(escape(baseline.scenario)): \(t("地震被害想定と被害軽減効果", "earthquake damage and the benefit of mitigation"))</h1>
            <p class="warning">\(t(
                "この結果は訓練計画のための試算です。\(buildingsWarningJapanese)断層の位置・形状は仮定、被害関数・地盤・出火率は公表値からの推定であり、公式の被害想定ではありません。± や幅はモンテカルロの揺らぎだけで、仮定による不確かさはそれより大きくなります。前提はすべて末尾の出典・仮定の一覧にあります。",
                "These figures are estimates for planning drills. \(buildingsWarningEnglish)The fault geometry is assumed, and the damage functions, the ground and the ignition rates are derived from published figures: this is not an official damage estimate. Ranges show Monte Carlo noise only; the assumptions move the figures more. Every assumption is listed at the end."))</p>
            <p>\(escape(description))</p>
            <p>\(t("イベント数", "Events")): \(baseline.events), \(t("乱数シード", "seed")): \(baseline.seed).</p>
            <h2>\(t("区全体", "Ward totals"))</h2>
            <table><tr><th>\(t("項目", "Measure"))</th><th>\(t("平均 (5–95 %)", "mean (5–95 %)"))</th></tr>
            """
        if let collapse = baseline.states.firstIndex(of: .collapse) {
            let values = baseline.eventTotals.map { $0[collapse] }.sorted()
            func quantile(_ q: Double) -> Double { values[min(values.count - 1, Int(q * Double(values.count - 1)))] }
            page +=
                "<tr><td>\(t("全壊棟数", "Collapsed buildings"))</td><td>\(number(baseline.expectedTotal(.collapse) ?? 0)) <small>(\(number(quantile(0.05)))–\(number(quantile(0.95))))</small></td></tr>\n"
        }
        if let fire = baseline.fire {
            let values = fire.eventBurnt.sorted()
            func quantile(_ q: Double) -> Double { values[min(values.count - 1, Int(q * Double(values.count - 1)))] }
            page +=
                "<tr><td>\(t("焼失棟数", "Burnt buildings"))</td><td>\(number(fire.expectedBurnt)) <small>(\(number(quantile(0.05)))–\(number(quantile(0.95))))</small></td></tr>\n"
        }
        page +=
            "<tr><td>\(t("死者数（建物倒壊・火災）", "Deaths (collapse and fire)"))<br><small>\(escape(occupancyNote(ja: ja)))</small></td><td>\(number(rows.reduce(0) { $0 + $1.deaths }))</td></tr></table>\n"
        if let mitigation {
            page += "<h2>\(t("被害軽減策", "Mitigation")): \(escape(mitigation.comparison.scenario))</h2><ul>"
            for note in mitigation.notes { page += "<li>\(escape(note))</li>" }
            page +=
                "</ul><table><tr><th>\(t("項目", "Measure"))</th><th>\(t("現状", "Baseline"))</th><th>\(t("対策後", "With mitigation"))</th><th>\(t("減少 (95 % 信頼区間)", "Reduction (95 % CI)"))</th></tr>"
            for measure in mitigation.comparison.measures {
                guard let d = mitigation.comparison.ward.differences[measure] else { continue }
                page +=
                    "<tr><td>\(ja ? measure.japaneseName : measure.rawValue)</td><td>\(number(d.baseline))</td><td>\(number(d.mitigated))</td><td>\(number(d.reduction)) <small>(\(number(d.lower))–\(number(d.upper)))</small></td></tr>"
            }
            page += "</table>\n"
        }
        if let shelterDemand {
            page +=
                "<h2>\(t("震災救援所の需要と収容人数（あふれる救援所）", "Relief centres: demand against capacity (which overflow)"))</h2>\n<p>\(t("避難者（東京都2022の式）を最寄りの震災救援所に割り当てた推計です。\(Self.evacueeTerms(shelterDemand, ja: true))町丁目ごとの指定救援所の一覧は同梱されていないため、最寄りを仮定しています。区全体の避難者数: \(number(shelterDemand.total.mean, 0))（\(number(shelterDemand.total.p5, 0))–\(number(shelterDemand.total.p95, 0))）人。", "Evacuees by TMG's 2022 formula, each sent to the nearest relief centre. \(Self.evacueeTerms(shelterDemand, ja: false))The ward's assignment of towns to centres is not bundled, so the nearest is assumed. Evacuees in the ward: \(number(shelterDemand.total.mean, 0)) (\(number(shelterDemand.total.p5, 0))–\(number(shelterDemand.total.p95, 0)))."))</p>\n<table><tr><th>#</th><th>\(t("震災救援所", "Relief centre"))</th><th>\(t("収容人数", "Capacity"))</th><th>\(t("需要 (5–95 %)", "Demand (5–95 %)"))</th><th>\(t("需要／収容", "Load"))</th><th>\(t("あふれる確率", "P(overflow)"))</th></tr>\n"
            for (rank, centre) in ShelterDemand.fullestFirst(shelterDemand.centres).prefix(30).enumerated() {
                page +=
                    "<tr><td>\(rank + 1)</td><td>\(escape(centre.name)) <small>\(escape(centre.id))</small></td><td>\(centre.capacity.map(String.init) ?? "—")</td><td>\(range(centre.demand))</td><td>\(centre.load.map { number($0, 2) } ?? "—")</td><td>\(centre.overflowProbability.map { number($0 * 100, 0) + " %" } ?? "—")</td></tr>\n"
            }
            page += "</table>\n"
        }
        if let fireSensitivity {
            page +=
                "<h2>\(t("焼失棟数の仮定への感度", "How the burnt count depends on the assumptions"))</h2>\n<p>\(t("各仮定を低・高に変え、他は本計算の値のまま、本計算と同じ乱数で \(fireSensitivity.events) イベントずつ計算しました。本計算の焼失棟数（同じイベント）は \(number(fireSensitivity.baseline, 0)) 棟です。上の幅はモンテカルロの揺らぎだけで、この感度を含みません。", "Each assumption set low and high, the others at the run's values, over \(fireSensitivity.events) events with the run's random numbers; the run's burnt count over the same events is \(number(fireSensitivity.baseline, 0)). The ranges above are Monte Carlo noise only and do not include this."))</p>\n<table><tr><th>\(t("仮定", "Assumption"))</th><th>\(t("低", "Low"))</th><th>\(t("焼失（低）", "Burnt (low)"))</th><th>\(t("高", "High"))</th><th>\(t("焼失（高）", "Burnt (high)"))</th></tr>\n"
            for row in fireSensitivity.rows {
                page +=
                    "<tr><td>\(ja ? row.japaneseName : row.assumption)</td><td>\(escape(row.low))</td><td>\(number(row.burntLow, 0))</td><td>\(escape(row.high))</td><td>\(number(row.burntHigh, 0))</td></tr>\n"
            }
            page += "</table>\n"
        }
        page += "<h2>\(t("地図", "Maps"))</h2>\n"
        for image in images { page += "<p><img src=\"\(image)\" alt=\"\(image)\"></p>\n" }
        page +=
            "<h2>\(t("危険度の高い町丁目（建物100棟あたりの全壊＋焼失の期待値順）", "Towns by risk (expected collapsed + burnt per 100 buildings)"))</h2>\n"
        page +=
            "<table><tr><th>#</th><th>\(t("町丁目", "Town"))</th><th>\(t("100棟あたり", "Per 100 buildings"))</th><th>\(t("建物数", "Buildings"))</th><th>\(t("全壊", "Collapsed"))</th><th>\(t("焼失", "Burnt"))</th><th>\(t("死者", "Deaths"))</th></tr>\n"
        for (rank, row) in Self.rankedByRisk(rows).prefix(30).enumerated() {
            page +=
                "<tr><td>\(rank + 1)</td><td>\(escape(row.name)) <small>\(row.code)</small></td><td>\(number(row.lostPer100))</td><td>\(row.buildings)</td><td>\(range(row.collapsed))</td><td>\(range(row.burnt))</td><td>\(number(row.deaths, 2))</td></tr>\n"
        }
        page += "</table>\n"
        if mitigation != nil {
            page +=
                "<h2>\(t("対策効果の大きい町丁目（全壊＋焼失の減少順）", "Towns by benefit of mitigation (fewer collapsed + burnt)"))</h2>\n<table><tr><th>#</th><th>\(t("町丁目", "Town"))</th><th>\(t("全壊の減少 (95 % CI)", "Fewer collapses (95 % CI)"))</th><th>\(t("焼失の減少 (95 % CI)", "Fewer burnt (95 % CI)"))</th></tr>\n"
            func total(_ row: Row) -> Double {
                (row.benefit[.collapsed]?.reduction ?? 0) + (row.benefit[.burnt]?.reduction ?? 0)
            }
            func cell(_ d: MitigationComparison.Difference?) -> String {
                d.map { "\(number($0.reduction)) <small>(\(number($0.lower))–\(number($0.upper)))</small>" } ?? "—"
            }
            for (rank, row) in rows.sorted(by: { total($0) > total($1) }).prefix(30).enumerated() {
                page +=
                    "<tr><td>\(rank + 1)</td><td>\(escape(row.name)) <small>\(row.code)</small></td><td>\(cell(row.benefit[.collapsed]))</td><td>\(cell(row.benefit[.burnt]))</td></tr>\n"
            }
            page += "</table>\n"
        }
        page += "<h2>\(t("出典と仮定", "Sources and assumptions"))</h2><ul>\n"
        if ja {
            for line in japaneseSources() { page += "<li>\(escape(line))</li>\n" }
            page += "</ul><h3>詳細（実行記録 provenance.txt と同じ内容、英語）</h3><ul class=\"detail\">\n"
        }
        for line in baseline.provenance + (mitigation?.comparison.notes ?? []) { page += "<li>\(escape(line))</li>\n" }
        page += "</ul></body></html>\n"
        return page
    }

    /// The map layers as GeoPackage tables: `report_towns` (the values of ``townsGeoJSON()``)
    /// and `report_cells` (per 250 m cell: collapse, burnt and their reductions).
    func geoPackageLayers() throws -> [GeoPackageLayer] {
        typealias Value = (any GeoPackageValueConvertible)?
        let byCode = Dictionary(towns.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let measures = mitigation?.comparison.measures ?? []
        var townColumns = [
            GeoPackageLayer.Column("town_code", "TEXT"), GeoPackageLayer.Column("name", "TEXT"),
            GeoPackageLayer.Column("buildings", "INTEGER"), GeoPackageLayer.Column("deaths", "REAL"),
            GeoPackageLayer.Column("collapse_mean", "REAL"), GeoPackageLayer.Column("burnt_mean", "REAL"),
        ]
        for measure in measures {
            townColumns += ["", "_ci95_lower", "_ci95_upper"].map {
                GeoPackageLayer.Column("\(measure.rawValue)_reduction\($0)", "REAL")
            }
        }
        var townFeatures: [GeoPackageLayer.Feature] = []
        for row in rows {
            guard let town = byCode[row.code] else { continue }
            var values: [Value] = [row.code, row.name, row.buildings, row.deaths, row.collapsed?.mean, row.burnt?.mean]
            for measure in measures {
                let d = row.benefit[measure]
                values += [d?.reduction, d?.lower, d?.upper]
            }
            townFeatures.append(GeoPackageLayer.Feature(geometry: .multiPolygon(town.boundary), values: values))
        }
        let collapse = baseline.states.firstIndex(of: .collapse)
        let cellColumns = [
            GeoPackageLayer.Column("mesh_code", "TEXT"), GeoPackageLayer.Column("collapse_mean", "REAL"),
            GeoPackageLayer.Column("burnt_mean", "REAL"), GeoPackageLayer.Column("collapse_reduction", "REAL"),
            GeoPackageLayer.Column("burnt_reduction", "REAL"),
        ]
        var cellFeatures: [GeoPackageLayer.Feature] = []
        let paired = mitigation.map { $0.result.cells.map(\.mesh) == baseline.cells.map(\.mesh) } ?? false
        for (index, cell) in baseline.cells.enumerated() {
            let collapsed = collapse.map { cell.damage[$0].mean }
            let burnt = baseline.fire?.cells[index].mean
            var collapseReduction: Double?
            var burntReduction: Double?
            if paired, let mitigated = mitigation?.result {
                collapseReduction = collapse.flatMap { c in collapsed.map { $0 - mitigated.cells[index].damage[c].mean }
                }
                burntReduction = burnt.flatMap { b in mitigated.fire.map { b - $0.cells[index].mean } }
            }
            cellFeatures.append(
                GeoPackageLayer.Feature(
                    geometry: .multiPolygon(try RegionalMeshCode(cell.mesh).outline),
                    values: [cell.mesh, collapsed, burnt, collapseReduction, burntReduction]))
        }
        return [
            GeoPackageLayer(
                name: "report_towns", description: "Damage and mitigation per town: \(baseline.scenario)",
                geometryType: "MULTIPOLYGON", columns: townColumns, features: townFeatures),
            GeoPackageLayer(
                name: "report_cells", description: "Damage and mitigation per 250 m cell: \(baseline.scenario)",
                geometryType: "MULTIPOLYGON", columns: cellColumns, features: cellFeatures),
        ]
    }

    /// The towns with their results as GeoJSON (for the daemon and GIS tools).
    func townsGeoJSON() throws -> Data {
        let byCode = Dictionary(towns.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var features: [JSONValue] = []
        for row in rows {
            guard let town = byCode[row.code] else { continue }
            var properties: [(key: String, value: JSONValue)] = [
                ("town_code", .string(row.code)), ("name", .string(row.name)),
                ("buildings", .number(Double(row.buildings))),
                ("deaths", .number(row.deaths)),
            ]
            if let c = row.collapsed {
                properties += [
                    ("collapse_mean", .number(c.mean)), ("collapse_p5", .number(c.p5)),
                    ("collapse_p95", .number(c.p95)),
                ]
            }
            if let b = row.burnt {
                properties += [
                    ("burnt_mean", .number(b.mean)), ("burnt_p5", .number(b.p5)), ("burnt_p95", .number(b.p95)),
                ]
            }
            for (measure, d) in row.benefit.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                properties += [
                    ("\(measure.rawValue)_reduction", .number(d.reduction)),
                    ("\(measure.rawValue)_reduction_ci95_lower", .number(d.lower)),
                    ("\(measure.rawValue)_reduction_ci95_upper", .number(d.upper)),
                ]
            }
            features.append(
                .object([
                    ("type", .string("Feature")), ("geometry", GeoJSON.geometry(town.boundary)),
                    ("properties", .object(properties)),
                ]))
        }
        // In member order, byte for byte the same on every run (JSONEncoder orders keys by hash).
        return Data(GeoJSON.featureCollection(features).serialized().utf8)
    }
}
