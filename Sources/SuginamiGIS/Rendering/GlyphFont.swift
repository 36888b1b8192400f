import CFreeType
import Foundation
import Synchronization

/// Text for the maps through FreeType with Noto Sans CJK JP (Debian's libfreetype-dev and
/// fonts-noto-cjk), so that a Japanese ward's maps carry Japanese titles, legends and town names.
///
/// FreeType rasterises each glyph once per pixel size into an 8-bit coverage bitmap, cached;
/// ``Canvas`` blends it. No shaping engine: Japanese and Latin text need no ligatures or
/// reordering, so a glyph per character at its advance is what a shaper would give here.
/// Where the font is not installed, ``shared`` is `nil` and the canvas falls back to its
/// bitmap font (upper-case ASCII; other characters become `?`).
public final class GlyphFont: Sendable {
    /// A rendered glyph: coverage rows (0–255), its offset from the pen and its advance, pixels.
    struct Glyph: Sendable {
        var width: Int
        var rows: Int
        var left: Int
        var top: Int
        var advance: Int
        var coverage: [UInt8]
    }

    /// Where Debian's fonts-noto-cjk puts the sans-serif collection.
    public static let defaultPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    /// The face of the collection used: the Japanese one.
    public static let family = "Noto Sans CJK JP"

    /// The shared font, or `nil` when FreeType cannot open it.
    public static let shared: GlyphFont? = GlyphFont(path: defaultPath)

    // FreeType's library and face are not thread-safe: every use goes through the mutex.
    private struct State: @unchecked Sendable {
        var library: FT_Library
        var face: FT_Face
        var cache: [Key: Glyph] = [:]
    }
    private struct Key: Hashable {
        var scalar: UInt32
        var size: Int
    }
    private let state: Mutex<State>

    /// Opens the collection at `path` and picks its Japanese face; `nil` when it cannot.
    public init?(path: String) {
        var library: FT_Library?
        guard FT_Init_FreeType(&library) == 0, let library else { return nil }
        // A collection holds one face per language: take the Japanese one, else the first.
        var probe: FT_Face?
        let faces = FT_New_Face(library, path, -1, &probe) == 0 ? max(1, Int(probe?.pointee.num_faces ?? 1)) : 1
        if let probe { FT_Done_Face(probe) }
        var chosen: FT_Face?
        for index in 0..<faces {
            var face: FT_Face?
            guard FT_New_Face(library, path, index, &face) == 0, let face else { continue }
            if face.pointee.family_name.map({ String(cString: $0) }) == Self.family {
                if let chosen { FT_Done_Face(chosen) }
                chosen = face
                break
            }
            if chosen == nil { chosen = face } else { FT_Done_Face(face) }
        }
        guard let chosen else {
            FT_Done_FreeType(library)
            return nil
        }
        state = Mutex(State(library: library, face: chosen))
    }

    deinit {
        state.withLock { state in
            FT_Done_Face(state.face)
            FT_Done_FreeType(state.library)
        }
    }

    /// The glyph of a character at a pixel size (em height), rendered once.
    func glyph(_ scalar: Unicode.Scalar, size: Int) -> Glyph? {
        state.withLock { state in
            let key = Key(scalar: scalar.value, size: size)
            if let cached = state.cache[key] { return cached }
            let face = state.face
            guard FT_Set_Pixel_Sizes(face, 0, FT_UInt(size)) == 0,
                FT_Get_Char_Index(face, FT_ULong(scalar.value)) != 0,
                FT_Load_Char(face, FT_ULong(scalar.value), FT_Int32(FT_LOAD_RENDER)) == 0,
                let slot = face.pointee.glyph
            else { return nil }
            let bitmap = slot.pointee.bitmap
            let width = Int(bitmap.width)
            let rows = Int(bitmap.rows)
            var coverage = [UInt8](repeating: 0, count: width * rows)
            if let buffer = bitmap.buffer {
                for row in 0..<rows {
                    for column in 0..<width {
                        coverage[row * width + column] = buffer[row * Int(bitmap.pitch) + column]
                    }
                }
            }
            let glyph = Glyph(
                width: width, rows: rows, left: Int(slot.pointee.bitmap_left), top: Int(slot.pointee.bitmap_top),
                advance: Int(slot.pointee.advance.x) >> 6, coverage: coverage)
            state.cache[key] = glyph
            return glyph
        }
    }
}
