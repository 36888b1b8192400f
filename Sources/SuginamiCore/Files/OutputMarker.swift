import Foundation

extension OutputDirectory {
    /// The marker file of a finished output: its kind and every file and directory written, so
    /// that a later run can tell the output is still only ours and remove exactly it.
    struct Marker: Codable, Equatable {
        /// One written file: its path below the output, size and modification time.
        struct File: Codable, Equatable {
            var path: String
            var size: UInt64
            var modified: Double
        }

        static let currentFormat = 1

        var format: Int
        var kind: String
        var writtenAt: String
        var files: [File]
        var directories: [String]

        /// Lists what `directory` holds and writes the marker into it.
        static func write(kind: String, describing directory: URL) throws(OutputDirectoryError) {
            var files: [File] = []
            var directories: [String] = []
            let manager = FileManager.default
            if let enumerator = manager.enumerator(atPath: directory.path) {
                while let relative = enumerator.nextObject() as? String {
                    // The staging note is removed before the switch: not part of the output.
                    guard relative != OutputDirectory.stagingNoteName else { continue }
                    let path = directory.appendingPathComponent(relative).path
                    switch OutputDirectory.type(of: path) {
                    case .typeDirectory?: directories.append(relative)
                    case .typeRegular?:
                        guard let file = File(at: path, relative: relative) else {
                            throw OutputDirectoryError(path: path, reason: "cannot read the file's size and time")
                        }
                        files.append(file)
                    default:
                        throw OutputDirectoryError(
                            path: path, reason: "an output may hold only files and directories, not links or devices")
                    }
                }
            }
            let marker = Marker(
                format: currentFormat, kind: kind, writtenAt: ISO8601DateFormatter().string(from: Date()),
                files: files.sorted { $0.path < $1.path }, directories: directories.sorted())
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            do {
                try encoder.encode(marker).write(to: directory.appendingPathComponent(OutputDirectory.markerName))
            } catch {
                throw OutputDirectoryError(path: directory.path, reason: "cannot write the marker file (\(error))")
            }
        }

        /// Reads the marker of an existing output.
        static func read(from directory: URL, path: String) throws(OutputDirectoryError) -> Marker {
            let file = directory.appendingPathComponent(OutputDirectory.markerName)
            guard OutputDirectory.type(of: file.path) == .typeRegular,
                let data = try? Data(contentsOf: file),
                let marker = try? JSONDecoder().decode(Marker.self, from: data),
                marker.format == currentFormat,
                // Paths a removal would follow out of the directory make the marker someone else's.
                (marker.files.map(\.path) + marker.directories).allSatisfy(isInside)
            else {
                throw OutputDirectoryError(
                    path: path,
                    reason: "its \(OutputDirectory.markerName) is not a marker this version wrote; name a new directory"
                )
            }
            return marker
        }

        /// Whether a listed path stays inside the output: relative, no `..` or empty component.
        static func isInside(_ path: String) -> Bool {
            !path.hasPrefix("/")
                && !path.split(separator: "/", omittingEmptySubsequences: false).contains {
                    $0.isEmpty || $0 == ".." || $0 == "."
                }
        }

        /// What in `directory` is not as the marker lists it: files added, changed or replaced
        /// by links. Empty when the directory holds only this output (files may be missing).
        func differences(from directory: URL) -> [String] {
            let known = Set(files.map(\.path)).union(directories).union([OutputDirectory.markerName])
            var problems: [String] = []
            if let enumerator = FileManager.default.enumerator(atPath: directory.path) {
                while let relative = enumerator.nextObject() as? String {
                    if !known.contains(relative) { problems.append("\(relative) was not written by it") }
                }
            }
            for relative in directories {
                let type = OutputDirectory.type(of: directory.appendingPathComponent(relative).path)
                if type != nil, type != .typeDirectory { problems.append("\(relative) is no longer a directory") }
            }
            for file in files where OutputDirectory.type(of: directory.appendingPathComponent(file.path).path) != nil {
                if !matches(file, in: directory) { problems.append("\(file.path) was changed after it was written") }
            }
            return problems
        }

        /// Whether the file at its path is still the one written: a regular file of the same size
        /// and modification time.
        func matches(_ file: File, in directory: URL) -> Bool {
            let path = directory.appendingPathComponent(file.path).path
            guard OutputDirectory.type(of: path) == .typeRegular, let now = File(at: path, relative: file.path) else {
                return false
            }
            return now.size == file.size && abs(now.modified - file.modified) < 1e-3
        }
    }
}

extension OutputDirectory.Marker.File {
    init?(at path: String, relative: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.uint64Value,
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        self.init(path: relative, size: size, modified: modified.timeIntervalSince1970)
    }
}
