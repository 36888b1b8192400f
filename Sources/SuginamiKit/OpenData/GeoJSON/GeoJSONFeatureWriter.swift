import Foundation

/// Writes a GeoJSON FeatureCollection to a file a feature at a time (the same bytes as
/// `GeoJSON.featureCollection(_:extraMembers:).serialized()`), so that a collection of a
/// million features is never held whole in memory.
public final class GeoJSONFeatureWriter {
    private let file: BufferedFileWriter
    private var first = true

    /// Starts the collection at `url`, with `extraMembers` before `features`.
    /// - Throws: the file system's error.
    public init(_ url: URL, extraMembers: [(String, JSONValue)] = []) throws {
        file = try BufferedFileWriter(url)
        var head = #"{"type":"FeatureCollection""#
        for (key, value) in extraMembers {
            head += "," + JSONValue.string(key).serialized() + ":" + value.serialized()
        }
        try file.write(head + #","features":["#)
    }

    /// Appends one feature.
    public func append(_ feature: JSONValue) throws {
        try file.write((first ? "" : ",") + feature.serialized())
        first = false
    }

    /// Ends the collection and closes the file.
    public func finish() throws {
        try file.write("]}")
        try file.close()
    }
}
