import Foundation

/// Reads a text file in pieces that end at line breaks, decoded, so that a parser can stream a
/// file of any size in bounded memory (``CSVRecordReader``).
///
/// Cutting at the byte 0x0A is safe in UTF-8 and Shift_JIS alike: it never occurs inside a
/// multi-byte character. With ``TextEncoding/automatic`` the first piece decides: a BOM or valid
/// UTF-8 means UTF-8 for the whole file, anything else Shift_JIS.
enum TextFilePieces {
    /// The longest line accepted: a longer one is not a table row, and would have to be held whole.
    static let maximumLineLength = 64 << 20

    /// Calls `body` with each decoded piece and the bytes read so far of the file's total.
    /// - Throws: `InputFileError` naming the file and line for unreadable or wrongly encoded text.
    static func read(
        _ url: URL, encoding: TextEncoding, file: String, pieceSize: Int = 4 << 20,
        body: (_ text: String, _ bytesRead: Int, _ totalBytes: Int) throws(InputFileError) -> Void
    ) throws(InputFileError) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw InputFileError(file: file, location: .file, reason: "cannot be read")
        }
        defer { try? handle.close() }
        let total = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
        var buffer = Data()
        var bytesRead = 0
        var linesBefore = 0
        var chosen: TextEncoding? = encoding == .automatic ? nil : encoding
        var first = true
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: pieceSize) ?? Data()
            } catch {
                throw InputFileError(
                    file: file, location: .file, reason: "cannot be read (\(error.localizedDescription))")
            }
            bytesRead += chunk.count
            buffer.append(chunk)
            let atEnd = chunk.isEmpty
            let cut: Data.Index
            if atEnd {
                cut = buffer.endIndex
            } else if let lastBreak = buffer.lastIndex(of: 0x0A) {
                cut = buffer.index(after: lastBreak)
            } else {
                guard buffer.count <= maximumLineLength else {
                    throw InputFileError(
                        file: file, location: .line(linesBefore + 1),
                        reason: "a line longer than \(maximumLineLength >> 20) MiB: not a table")
                }
                continue
            }
            var piece = buffer[buffer.startIndex..<cut]
            if first, piece.starts(with: TextEncoding.utf8BOM) { piece = piece.dropFirst(3) }
            if chosen == nil {
                chosen = String(validating: piece, as: UTF8.self) != nil ? .utf8 : .shiftJIS
            }
            let text: String
            do {
                text = try chosen!.decode(Data(piece), file: file)
            } catch {
                var shifted = error
                if case .line(let line) = error.location { shifted.location = .line(linesBefore + line) }
                if encoding == .automatic, chosen == .utf8 {
                    shifted.reason += " (the file began as UTF-8; give its encoding if it is Shift_JIS)"
                }
                throw shifted
            }
            if !text.isEmpty || atEnd { try body(text, bytesRead, total) }
            linesBefore += piece.count { $0 == 0x0A }
            buffer = Data(buffer[cut...])
            first = false
            if atEnd { return }
        }
    }
}
