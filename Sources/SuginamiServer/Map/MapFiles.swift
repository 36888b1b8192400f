import Foundation
import SuginamiCore

/// The web map's files: the page, its script and style from this module's resources, and
/// Leaflet from the Debian package `libjs-leaflet` (installed by the set-up step), so the map
/// needs nothing from the internet.
struct MapFiles: Sendable {
    struct File: Sendable {
        let bytes: [UInt8]
        let type: String
    }

    /// By path as served (`/map/map.js`, `/vendor/leaflet/leaflet.js`).
    let files: [String: File]
    /// Why Leaflet is missing, when it is.
    let leafletProblem: String?

    static let defaultLeafletDirectory = "/usr/share/javascript/leaflet"
    static let leafletFiles = [
        "leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png", "images/marker-icon.png",
        "images/marker-icon-2x.png", "images/marker-shadow.png",
    ]

    /// The page is the map's entry, `/` for a browser.
    var page: File? { files["/map/index.html"] }

    /// Reads the map's files once, at start-up.
    static func load(leafletDirectory: String = defaultLeafletDirectory) -> MapFiles {
        var files: [String: File] = [:]
        if resourceBundleIsInstalled("SuginamiKit_SuginamiServer") {
            for name in ["index.html", "map.js", "map.css", "site.js", "people.html", "people.js", "people.css"] {
                if let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources/map"),
                    let data = try? Data(contentsOf: url)
                {
                    files["/map/" + name] = File(bytes: Array(data), type: type(of: name))
                }
            }
        }
        var problem: String?
        for name in leafletFiles {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: leafletDirectory).appendingPathComponent(name))
            else {
                problem = "Leaflet is not installed at \(leafletDirectory) (apt-get install libjs-leaflet)"
                continue
            }
            files["/vendor/leaflet/" + name] = File(bytes: Array(data), type: type(of: name))
        }
        return MapFiles(files: files, leafletProblem: problem)
    }

    private static func type(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }
}
