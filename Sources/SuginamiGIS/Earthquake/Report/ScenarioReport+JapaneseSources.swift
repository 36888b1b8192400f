import Foundation

extension ScenarioReport {
    /// The Japanese page's list of sources and assumptions (出典と仮定), in Japanese, one line per
    /// part of the model, each saying whether its values are published (公表値), derived from
    /// published figures (推定, DERIVED), assumed (仮定) or left out (考慮せず). The run's full
    /// technical list (`provenance.txt`, in English) follows it on the page.
    func japaneseSources() -> [String] {
        let provenance = baseline.provenance
        func mentions(_ text: String) -> Bool { provenance.contains { $0.contains(text) } }
        var lines: [String] = []
        switch buildings {
        case .realFootprintsAssumedAttributes:
            lines.append(
                "建物：位置・形状・高さは「3D都市モデル（Project PLATEAU）東京都23区（2020年度）」（国土交通省, CC BY 4.0）の実データ。"
                    + "構造・建築年・階数・防火性能は公表統計と他区の標本から推定した仮の値（BuildingAttributePriors）")
        case .synthetic:
            lines.append("建物：合成データ（実在の建物ではありません）。構造・建築年は東京都の建物統計に合わせて生成")
        case .register:
            lines.append("建物：入力された台帳の記録")
        }
        lines.append(
            mentions("scenario ASSUMPTION")
                ? "想定地震：規模・種類は東京都（2022）の想定による。断層の位置・形状は仮定（内閣府2013の断層モデルは未入手）"
                : "想定地震：入力されたシナリオの値")
        lines.append("地震動：司・翠川（1999）の距離減衰式（防災科研2009）、空間相関は Jayaram & Baker（2009）、計測震度は翠川ほか（1999）")
        lines.append(
            mentions("site: DERIVED")
                ? "地盤：250mメッシュごとの増幅率を推定（DERIVED）。PLATEAUの浸水深0.5m以上を谷底低地とみなし台地の1.125倍、"
                    + "多摩東部直下で区の面積の6強46%・6弱54%（区の公表値）になるよう一定数を較正。実測の地盤ではありません"
                : "地盤：入力された地盤データ（J-SHIS 等）")
        lines.append(
            mentions("fragility-derived.csv")
                ? "被害関数（全壊）：内閣府（2005）と西宮の曲線（日経BP 2007）の公表値数点から推定（DERIVED）。半壊は未モデル。"
                    + "新しい建物・耐震改修済みの建物が古い建物より壊れやすくならないよう上限を設定（仮定）"
                : "被害関数：入力されたファイル")
        switch occupancy.basis {
        case .definition:
            lines.append("死者（建物倒壊）：木造 0.0676×全壊棟数×滞留率（東京都2022）。午前5時の滞留率1")
        case .derived:
            lines.append(
                "死者（建物倒壊）：木造 0.0676×全壊棟数×滞留率（東京都2022）。\(occupancy.hour)時の滞留率"
                    + "\(String(format: "%.3f", occupancy.wooden))は都の多摩直下地震の総括表（\(occupancy.hour == 18 ? "夕方18時" : "昼12時")と朝5時の"
                    + "揺れによる建物全壊での死者の比）から推定（DERIVED）")
        case .fiveAMStandIn:
            lines.append(
                "死者（建物倒壊）：木造 0.0676×全壊棟数×滞留率（東京都2022）。\(occupancy.hour)時の滞留率は未入手のため午前5時の値で計算")
        case .given:
            lines.append("死者（建物倒壊）：木造 0.0676×全壊棟数×滞留率（東京都2022）。滞留率は入力値")
        }
        if !mentions("non-wooden deaths = t_n") {
            lines.append("非木造の倒壊による死者：夜間人口（木造・非木造）が入力されていないため計算せず")
        }
        if baseline.fire != nil, let fire = fireParameters {
            let ignition =
                fire.nonCollapseRates != nil
                ? "圧壊によらない出火は入力された出火率表"
                : fire.modelsNonCollapseIgnition
                    ? (fire.nonCollapseIgnitionPerCollapse == nil
                        ? "圧壊によらない出火は都（2022）の総数（炎上出火623件・全壊80,530棟）から推定（DERIVED）"
                        : "圧壊によらない出火は入力値")
                    : "圧壊によらない出火は考慮せず（焼失棟数は下限）"
            let coefficient = String(format: "%.3g", fire.effectiveHourCoefficient)
            let hourFactor: String
            if fire.hourCoefficient != nil {
                hourFactor = "\(fire.hour)時の時刻係数\(coefficient)は入力値"
            } else if fire.hour == 5 {
                hourFactor = "午前5時の時刻係数1"
            } else if fire.hour == 12 {
                hourFactor = "12時の時刻係数\(coefficient)は都の多摩直下地震の昼と朝の焼失棟数の比から推定（DERIVED）"
            } else {
                hourFactor = "\(fire.hour)時の時刻係数\(coefficient)は阪神の夕方の出火倍率（二次資料）から推定（DERIVED）"
            }
            lines.append(
                "出火：圧壊出火率0.0355%×時刻係数（東京都2022）。\(hourFactor)。\(ignition)。初期消火率\(Self.percent(fire.initialExtinguishment))、"
                    + "感震ブレーカー設置率\(Self.percent(fire.breakerInstallation))")
            lines.append(
                "延焼：延焼クラスター（東京都2022、加藤ほか2006）。延焼限界距離は二次資料の値（裸木造12m・防火造6m・準耐火3m・耐火0m）、"
                    + "風速\(String(format: "%g", fire.windSpeed))m/sで風下方向に\(String(format: "%.2f", fire.effectiveWindReachFactor))倍"
                    + (fire.windReachFactor == nil ? "（浜田式の風速係数による仮定）" : "（入力値）"))
            lines.append(
                fire.serviceSuppression != nil
                    ? "消火：公設消防・消防団の消火を東京都（2022）の式で考慮（水利数・所要時間は入力値）。消火率\(Self.percent(fire.effectiveSuppression))"
                    : fire.suppression > 0
                        ? "消火：公設消防の消火率\(Self.percent(fire.suppression))（入力値）"
                        : "消火：公設消防・消防団の消火は考慮せず（都の式に必要な水利数・所要時間が未入手）。焼失棟数は消火なしの値")
            let ratio = String(format: "%.3f", fire.effectiveIndoorRatio)
            lines.append(
                "火災による死者：0.0218×焼失棟数×屋内滞留人口比率（東京都2022）。"
                    + (fire.indoorRatio != nil
                        ? "比率\(ratio)は入力値"
                        : FireParameters.Derivation.indoorRatio(hour: fire.hour) != nil
                            ? "\(fire.hour)時の比率\(ratio)は都の多摩直下地震の風速4m/sと8m/sの差（焼失棟数と火災死者）から推定（DERIVED）"
                            : "\(fire.hour)時の比率は未入手のため1（仮定）"))
        }
        if let shelterDemand {
            lines.append(
                "避難者・救援所の需要：東京都（2022）の式（全壊・焼失×100%＋半壊×50.3%＋ライフライン）×町丁目の1棟あたり人口。"
                    + Self.evacueeTerms(shelterDemand, ja: true)
                    + "各建物の住民は最寄りの震災救援所へ（区の割り当て表は未入手、仮定）")
        }
        lines.append("± や幅はモンテカルロの揺らぎだけです。仮定による不確かさはそれより大きく、延焼の感度は竜巻図に示しました")
        return lines
    }

    private static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
}
