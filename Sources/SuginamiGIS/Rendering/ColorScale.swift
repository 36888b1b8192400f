/// A colour: red, green, blue and alpha, 0–255.
public struct RGBA: Sendable, Hashable {
    /// Channels.
    public var r: UInt8
    /// Channels.
    public var g: UInt8
    /// Channels.
    public var b: UInt8
    /// Channels.
    public var a: UInt8

    /// Creates a colour.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ a: UInt8 = 255) {
        self.r = r
        self.g = g
        self.b = b
        self.a = a
    }

    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(UInt8(hex >> 16), UInt8(hex >> 8 & 0xFF), UInt8(hex & 0xFF))
    }

    /// White.
    public static let white = RGBA(255, 255, 255)
    /// Black.
    public static let black = RGBA(0, 0, 0)
    /// Mid grey, for borders.
    public static let grey = RGBA(150, 150, 150)
    /// Light grey, for areas without data.
    public static let noData = RGBA(225, 225, 225)
}

/// Colour scales readable by colour-blind readers: viridis (sequential, perceptually uniform,
/// van der Walt & Smith) and ColorBrewer's PuOr (diverging, colour-blind safe), as anchor
/// colours sampled evenly.
public enum ColorScale: String, Sendable, CaseIterable {
    /// Low (dark purple) to high (yellow).
    case viridis
    /// Negative (orange) through white to positive (purple).
    case purpleOrange

    var anchors: [RGBA] {
        switch self {
        case .viridis:
            [0x440154, 0x482878, 0x3E4989, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6ECE58, 0xB5DE2B, 0xFDE725]
                .map(RGBA.init(hex:))
        case .purpleOrange:
            [0xB35806, 0xF1A340, 0xFEE0B6, 0xF7F7F7, 0xD8DAEB, 0x998EC3, 0x542788].map(RGBA.init(hex:))
        }
    }

    /// The colour at `t` in [0, 1] (clamped).
    public func color(_ t: Double) -> RGBA {
        let anchors = anchors
        let x = min(max(t.isFinite ? t : 0, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(x), anchors.count - 2)
        let f = x - Double(i)
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * f).rounded()) }
        return RGBA(
            mix(anchors[i].r, anchors[i + 1].r), mix(anchors[i].g, anchors[i + 1].g),
            mix(anchors[i].b, anchors[i + 1].b))
    }
}
