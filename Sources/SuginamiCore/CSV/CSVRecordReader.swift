/// The RFC 4180 parser behind ``CSVTable``, fed text in pieces so that a file of any size can be
/// read in constant memory: records come out one at a time with the line they start on.
///
/// A piece must end at a line break (or be the last): the parser looks one character ahead
/// after a quote or a carriage return, and a line break is never either.
package struct CSVRecordReader {
    let file: String
    private var fields: [String] = []
    private var field = ""
    private var line = 1
    private var recordLine = 1
    private var inQuotes = false
    private var quoteOpenedOnLine = 1
    private var afterClosingQuote = false

    package init(file: String) { self.file = file }

    /// Parses a piece of text, calling `emit` with each complete record and its first line.
    /// Blank lines give no record.
    package mutating func read(
        _ text: String, emit: (_ record: [String], _ line: Int) throws(InputFileError) -> Void
    ) throws(InputFileError) {
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                        pending = next
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(CSVTable.unguarded(field))
                field = ""
                afterClosingQuote = false
            case "\r", "\n":
                if scalar == "\r" {
                    let next = iterator.next()
                    if next != "\n" { pending = next }
                }
                try endRecord(emit: emit)
                line += 1
                recordLine = line
                afterClosingQuote = false
            case "\"" where field.isEmpty && !afterClosingQuote:
                inQuotes = true
                quoteOpenedOnLine = line
            default:
                if afterClosingQuote || scalar == "\"" {
                    throw InputFileError(
                        file: file, location: .line(line),
                        reason: "a quote inside an unquoted field, or text after a closing quote (RFC 4180)")
                }
                field.unicodeScalars.append(scalar)
            }
        }
    }

    /// Ends the text: emits the last record if the file did not end with a line break.
    /// - Throws: ``InputFileError`` for a quoted field that is never closed.
    package mutating func finish(emit: (_ record: [String], _ line: Int) throws(InputFileError) -> Void)
        throws(InputFileError)
    {
        if inQuotes {
            throw InputFileError(
                file: file, location: .line(quoteOpenedOnLine), reason: "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty { try endRecord(emit: emit) }
    }

    private mutating func endRecord(emit: (_ record: [String], _ line: Int) throws(InputFileError) -> Void)
        throws(InputFileError)
    {
        fields.append(CSVTable.unguarded(field))
        field = ""
        let record = fields
        fields = []
        if !(record.count == 1 && record[0].isEmpty) { try emit(record, recordLine) }
    }
}
