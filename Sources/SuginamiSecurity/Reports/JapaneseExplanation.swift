/// 日本語の説明: why a subject got its verdict, in Japanese, for the report a 情報セキュリティ
/// 責任者 reads. Made from the rule's check and the verdict; the English explanation, with the
/// exact figures, and the facts (paths, dates) stay beside it.
enum JapaneseExplanation {
    /// One or two sentences.
    static func sentence(for subject: SubjectOutcome, of rule: ControlRule) -> String {
        var text: String
        switch subject.verdict {
        case .pass: text = "要件を満たしています。"
        case .notApplicable: text = "この団体には適用されません。"
        case .error: text = "証跡を読み取れないため判定できません。"
        case .notAssessed:
            text = "証跡がない、または有効期間を過ぎているため評価できません（台帳の記載だけでは適合としません）。"
        case .fail: text = failure(rule.check)
        }
        if subject.verdict == .fail && subject.explanation.contains("(the inventory shows it; also:") {
            text += "台帳自体が違反を示しているため、証跡の新旧にかかわらず不適合です（証跡も古いか欠けています）。"
        }
        if let waiver = subject.waiver {
            text += "例外承認（承認者 \(waiver.approver)、\(waiver.expiresAt.text) まで）により受容されています。理由: \(waiver.reason)"
        }
        return text
    }

    private static func failure(_ check: CheckDefinition) -> String {
        switch check.kind {
        case .flowForbidden:
            let zones = (check.between ?? []).map(name).joined(separator: "と")
            return "\(zones)の間を、許可された通信がつないでいます（経路は下記）。分離が破られています。"
        case .flowPinned:
            return "\(check.zone.map(name) ?? "")の境界を越える許可通信が、特定の端末・ポート・承認に限定されていません。"
        case .flowSanitizer:
            let from = (check.from ?? []).map(name).joined(separator: "・")
            let to = (check.to ?? []).map(name).joined(separator: "・")
            return "\(from)から\(to)へ入る通信が、認められた無害化を経ていません。"
        case .placement:
            let zones = (check.zones ?? []).map(name).joined(separator: "・")
            return "保護すべき情報が、保存を認められたゾーン（\(zones)）の外にあります。"
        case .minFactors:
            return "認証要素が\(check.minimum ?? 2)種類（知識・所持・生体のうち異なる種類）に足りません。"
        case .attribute:
            return "\(check.attribute ?? "属性")が求められる値・範囲にないか、記載がありません。"
        case .freshness:
            return check.future == true
                ? "\(check.attribute ?? "期限")の期限を過ぎています。"
                : "\(check.attribute ?? "日付")が古すぎます（定められた日数を超えています）。"
        case .retentionMin:
            return "ログが集中保管されていないか、保存日数が定めに足りません。"
        case .exists:
            switch (check.fact, check.coveredBy) {
            case ("ciso", _): return "最高情報セキュリティ責任者（CISO）が定められていません。"
            case ("csirt", _): return "CSIRTの体制（連絡先・要員）が定められていません。"
            case ("securityCloud", _): return "自治体情報セキュリティクラウドへの接続が記録されていません。"
            case (_, .bcp?): return "ICT-BCPに記載のない対象システムがあります。"
            case (_, .backups?): return "バックアップの記録がない対象システムがあります。"
            case (_, .logSources?): return "ログを収集していない対象システムがあります。"
            default: return "求められる記録がありません。"
            }
        case .countMin:
            return "件数が\(check.minimum ?? 1)件に足りません。"
        case .evidenceFacts:
            return "証跡ファイルの内容が、台帳の記載と一致しないか、記載を確かめられません（ファイルと箇所は下記）。"
        case .manual:
            return "監査人の確認が必要です。"
        }
    }

    /// The zone kind's name as the guideline writes it.
    static func name(_ kind: ZoneKind) -> String {
        switch kind {
        case .mynumber: "マイナンバー利用事務系"
        case .lgwan: "LGWAN接続系"
        case .internet: "インターネット接続系"
        case .externalInternet: "インターネット"
        case .externalLGWAN: "LGWAN"
        case .externalPublicAgency: "外部の公的機関"
        case .securityCloud: "自治体情報セキュリティクラウド"
        }
    }
}
