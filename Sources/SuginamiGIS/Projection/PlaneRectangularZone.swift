/// 平面直角座標系: the 19 zones of the Japan Plane Rectangular Coordinate System on JGD2011
/// (EPSG:6669 to EPSG:6687), each a transverse Mercator with scale 0.9999 on its origin's meridian.
public enum PlaneRectangularZone: Int, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// 系 I (長崎県, 鹿児島県の一部).
    case i = 1
    /// 系 II (福岡県, 佐賀県, 熊本県, 大分県, 宮崎県, 鹿児島県の一部).
    case ii
    /// 系 III (山口県, 島根県, 広島県).
    case iii
    /// 系 IV (香川県, 愛媛県, 徳島県, 高知県).
    case iv
    /// 系 V (兵庫県, 鳥取県, 岡山県).
    case v
    /// 系 VI (京都府, 大阪府, 福井県, 滋賀県, 三重県, 奈良県, 和歌山県).
    case vi
    /// 系 VII (石川県, 富山県, 岐阜県, 愛知県).
    case vii
    /// 系 VIII (新潟県, 長野県, 山梨県, 静岡県).
    case viii
    /// 系 IX (東京都 (島を除く), 福島県, 栃木県, 茨城県, 埼玉県, 千葉県, 群馬県, 神奈川県): Suginami's zone.
    case ix
    /// 系 X (青森県, 秋田県, 山形県, 岩手県, 宮城県).
    case x
    /// 系 XI (北海道 西部).
    case xi
    /// 系 XII (北海道 中部).
    case xii
    /// 系 XIII (北海道 東部).
    case xiii
    /// 系 XIV (東京都 小笠原の一部).
    case xiv
    /// 系 XV (沖縄県 本島周辺).
    case xv
    /// 系 XVI (沖縄県 先島諸島).
    case xvi
    /// 系 XVII (沖縄県 大東諸島).
    case xvii
    /// 系 XVIII (東京都 沖ノ鳥島).
    case xviii
    /// 系 XIX (東京都 南鳥島).
    case xix

    /// The origin (latitude, longitude) in degrees, as the 国土交通省告示 sets it.
    public var origin: (latitude: Double, longitude: Double) {
        let table: [(Double, Double, Double)] = [
            (33, 129, 30), (33, 131, 0), (36, 132, 10), (33, 133, 30), (36, 134, 20), (36, 136, 0), (36, 137, 10),
            (36, 138, 30), (36, 139, 50), (40, 140, 50), (44, 140, 15), (44, 142, 15), (44, 144, 15), (26, 142, 0),
            (26, 127, 30), (26, 124, 0), (26, 131, 0), (20, 136, 0), (26, 154, 0),
        ]
        let row = table[rawValue - 1]
        return (row.0, row.1 + row.2 / 60)
    }

    /// The EPSG code of the zone on JGD2011 (6669 for I … 6687 for XIX).
    public var epsgCode: Int { 6_668 + rawValue }

    /// The Roman numeral.
    public var description: String {
        [
            "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
            "XVII", "XVIII", "XIX",
        ][rawValue - 1]
    }

    /// The zone's projection.
    public var projection: TransverseMercator { TransverseMercator(zone: self) }
}
