import Foundation
import SuginamiCore

/// Disaster-operations records as open data in the style of the 自治体標準オープンデータセット:
/// UTF-8 CSV, Japanese column names, the 全国地方公共団体コード on every row, positions as
/// 緯度・経度 in JGD2011 degrees, times in ISO 8601. The standard set has no live items (its
/// 指定緊急避難場所一覧 is a register), so the columns beyond it are named for what they hold.
public enum OperationsOpenData {
    /// 混雑度: the four congestion levels municipalities publish through VACAN, from people present
    /// over capacity (0–30 %, 30–60 %, 60–80 %, ≥ 80 %). 満 is shown only when the centre itself
    /// reported `full`, as VACAN's 満 also needs the staff's judgement; at 80 % or more without
    /// that it is 混雑. A closed centre is 利用停止中; without the counts, empty.
    public static func congestion(state: ShelterStatus.State?, occupancy: Int?, capacity: Int?) -> String {
        if state == .closed { return "利用停止中" }
        if state == .full { return "満" }
        guard let occupancy, let capacity, capacity > 0 else { return "" }
        let share = Double(occupancy) / Double(capacity)
        return share < 0.3 ? "空いています" : share < 0.6 ? "やや混雑" : "混雑"
    }

    /// 震災救援所の開設状況: one row per centre, with its latest report.
    /// - Parameters:
    ///   - centres: each centre, its latest report (if any), and whether it counts as open.
    ///   - code: the municipality's code.
    public static func statusCSV(
        _ centres: [(facility: Facility, status: ShelterStatus?, countsAsOpen: Bool)], code: LocalGovernmentCode
    ) -> String {
        let header = [
            "全国地方公共団体コード", "ID", "名称", "緯度", "経度", "開設状況", "避難者数", "想定収容人数", "混雑度",
            "不足しているもの", "備考", "更新日時",
        ]
        let records = centres.map { centre -> [String] in
            let status = centre.status
            let state =
                switch status?.state {
                case .open: "開設"
                case .full: "満員"
                case .closed: "閉鎖"
                case nil: centre.countsAsOpen ? "報告なし(開設とみなす)" : "報告なし(未開設とみなす)"
                }
            let needs = status.map { status in
                status.needs.flags.filter(\.value).map { needName($0.name) } + (status.needs.other.map { [$0] } ?? [])
            }
            return [
                code.rawValue, centre.facility.id, centre.facility.name,
                String(centre.facility.position.latitude), String(centre.facility.position.longitude), state,
                status?.occupancy.map(String.init) ?? "", centre.facility.capacity.map(String.init) ?? "",
                congestion(state: status?.state, occupancy: status?.occupancy, capacity: centre.facility.capacity),
                needs?.joined(separator: ";") ?? "", status?.note ?? "",
                status.map { $0.reportedAt.formatted(.iso8601) } ?? "",
            ]
        }
        return CSVTable.write(header: header, records: records)
    }

    /// 被害報告: one row per published report, oldest first.
    public static func reportsCSV(_ reports: [DamageReport], code: LocalGovernmentCode) -> String {
        let header = [
            "全国地方公共団体コード", "ID", "種別", "緯度", "経度", "道路の線形", "確認日時", "発生日時", "内容", "報告者区分",
        ]
        let records = reports.map { report -> [String] in
            [
                code.rawValue, report.id, kindName(report.kind), String(report.position.latitude),
                String(report.position.longitude),
                report.road.map { $0.map { "\($0.longitude) \($0.latitude)" }.joined(separator: ";") } ?? "",
                report.updatedAt.formatted(.iso8601), report.observedAt.formatted(.iso8601), report.text,
                roleName(report.authorRole),
            ]
        }
        return CSVTable.write(header: header, records: records)
    }

    static func needName(_ flag: String) -> String {
        switch flag {
        case "water": "飲料水"
        case "food": "食料"
        case "medical": "医療"
        case "power": "電源"
        case "toilets": "トイレ"
        case "interpreters": "通訳"
        default: flag
        }
    }

    static func kindName(_ kind: DamageReport.Kind) -> String {
        switch kind {
        case .roadBlocked: "道路閉塞"
        case .collapse: "建物倒壊"
        case .fire: "火災"
        case .flooding: "浸水"
        case .injury: "負傷者"
        case .other: "その他"
        }
    }

    static func roleName(_ role: AccessRole) -> String {
        switch role {
        case .public: "住民"
        case .staff: "救援所・施設職員"
        case .headquarters: "災害対策本部"
        case .admin: "管理者"
        }
    }
}
