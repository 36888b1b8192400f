import Foundation
import Testing

@testable import SuginamiKit

/// Photos sent with reports: the public copy keeps the picture and loses every place, time and
/// device the file carried, as GDAL (a real decoder) reads it.
@Suite("Report photos")
struct ReportPhotoTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Tests/Clients/photos/\(name)")))
    }

    /// GDAL's reading of an image: its size and metadata lines (`gdalinfo`).
    static func gdalinfo(_ bytes: [UInt8], suffix: String) throws -> String {
        let file = try TestSupport.temporaryDirectory().appendingPathComponent("photo.\(suffix)")
        try Data(bytes).write(to: file)
        let result = try TestSupport.run("/usr/bin/gdalinfo", ["-mdd", "all", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test("A JPEG's public copy has no Exif GPS, camera or thumbnail, keeps its orientation, and still decodes")
    func jpeg() throws {
        let original = try Self.fixture("with-gps.jpg")
        #expect(try Self.gdalinfo(original, suffix: "jpg").contains("EXIF_GPSLatitude"))
        let photo = try ReportPhoto(original + Array("trailing bytes".utf8))
        #expect(photo.mediaType == "image/jpeg")
        #expect(photo.pixels == (64, 48))
        let info = try Self.gdalinfo(photo.publicCopy, suffix: "jpg")
        #expect(info.contains("Size is 64, 48"))
        #expect(!info.contains("GPS"), "\(info)")
        #expect(!info.contains("TestPhone"))
        #expect(info.contains("EXIF_Orientation=6"))
        #expect(photo.publicCopy.count < original.count)
        #expect(!String(decoding: photo.publicCopy, as: UTF8.self).contains("trailing"))
    }

    @Test("A PNG's public copy has no text chunks and nothing after IEND, and still decodes")
    func png() throws {
        let original = try Self.fixture("with-text.png")
        #expect(String(decoding: original, as: UTF8.self).contains("Asagaya"))
        let photo = try ReportPhoto(original + Array("GPS 35.7,139.6".utf8))
        #expect(photo.mediaType == "image/png" && photo.pixels == (64, 48))
        let text = String(decoding: photo.publicCopy, as: UTF8.self)
        #expect(!text.contains("Asagaya") && !text.contains("GPS") && !text.contains("tEXt"))
        #expect(try Self.gdalinfo(photo.publicCopy, suffix: "png").contains("Size is 64, 48"))
    }

    @Test("Other files, damaged files and pixel bombs are refused, saying why; damage never crashes the reader")
    func refusals() throws {
        let jpeg = try Self.fixture("with-gps.jpg")
        var png = try Self.fixture("with-text.png")
        let cases: [([UInt8], String)] = [
            (Array("GIF89a....".utf8), "neither a JPEG nor a PNG"),
            (Array(jpeg.prefix(jpeg.count / 2)), "damaged JPEG"),
            (Array(png.prefix(40)), "damaged PNG"),
            ([UInt8](repeating: 0, count: 16), "neither"),
        ]
        for (bytes, says) in cases {
            do {
                _ = try ReportPhoto(bytes)
                Issue.record("accepted: \(says)")
            } catch {
                #expect(error.description.contains(says), "\(error)")
            }
        }
        png[20] ^= 0xFF  // inside IHDR: its CRC no longer matches
        #expect(throws: OperationsError.self) { try ReportPhoto(png) }
        var random = SplitMix64(seed: 11)
        for base in [jpeg, try Self.fixture("with-text.png")] {
            for _ in 0..<3_000 {
                var bytes = base
                for _ in 0..<Int(random.next() % 3 + 1) {
                    let index = Int(random.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: random.next())
                }
                _ = try? ReportPhoto(bytes)
            }
        }
    }
}
