/// The eight hazards a 指定緊急避難場所 may be designated for (災害対策基本法 施行令 第20条の3).
public struct HazardSuitability: OptionSet, Sendable, Hashable, Codable {
    /// The bits.
    public let rawValue: UInt8

    /// Creates a set from its bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 洪水: river flood.
    public static let flood = HazardSuitability(rawValue: 1 << 0)
    /// 崖崩れ、土石流及び地滑り: slope failure, debris flow and landslide.
    public static let landslide = HazardSuitability(rawValue: 1 << 1)
    /// 高潮: storm surge.
    public static let stormSurge = HazardSuitability(rawValue: 1 << 2)
    /// 地震: earthquake.
    public static let earthquake = HazardSuitability(rawValue: 1 << 3)
    /// 津波: tsunami.
    public static let tsunami = HazardSuitability(rawValue: 1 << 4)
    /// 大規模な火事: large-scale fire.
    public static let largeFire = HazardSuitability(rawValue: 1 << 5)
    /// 内水氾濫: inland (pluvial) flooding.
    public static let inlandFlood = HazardSuitability(rawValue: 1 << 6)
    /// 火山現象: volcanic phenomena.
    public static let volcano = HazardSuitability(rawValue: 1 << 7)

    /// The eight flags in the order the GSI and standard layouts list them, with their
    /// Japanese column names and the English keys used in exports.
    public static let ordered: [(flag: HazardSuitability, japanese: String, key: String)] = [
        (.flood, "洪水", "flood"),
        (.landslide, "崖崩れ、土石流及び地滑り", "landslide"),
        (.stormSurge, "高潮", "storm_surge"),
        (.earthquake, "地震", "earthquake"),
        (.tsunami, "津波", "tsunami"),
        (.largeFire, "大規模な火事", "fire"),
        (.inlandFlood, "内水氾濫", "inland_flood"),
        (.volcano, "火山現象", "volcano"),
    ]

    /// The English keys of the flags that are set, in layout order.
    public var keys: [String] { Self.ordered.filter { contains($0.flag) }.map(\.key) }

    /// Builds a set from English keys; returns the first unknown key on failure.
    public static func parse(keys: some Sequence<some StringProtocol>) -> Result<HazardSuitability, UnknownHazardKey> {
        var result: HazardSuitability = []
        for key in keys {
            guard let entry = ordered.first(where: { $0.key == key }) else {
                return .failure(UnknownHazardKey(key: String(key)))
            }
            result.insert(entry.flag)
        }
        return .success(result)
    }

    /// Encodes the set as its list of English keys, which reads well in JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(keys)
    }

    /// Decodes a list of English keys.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        switch Self.parse(keys: try container.decode([String].self)) {
        case .success(let set): self = set
        case .failure(let error):
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown hazard \"\(error.key)\"")
        }
    }
}

/// A hazard key that is none of the eight.
public struct UnknownHazardKey: Error, Sendable, Equatable {
    /// The key as given.
    public let key: String
}
