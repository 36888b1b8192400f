import Foundation
import SuginamiCore
import SuginamiGIS

/// Any of the API's JSON documents as an HTML page, for a browser (OGC API – Features
/// requirement class HTML): the same content, readable and navigable — the links as links,
/// a page of features as a table, everything else as nested lists.
///
/// One generic rendering of the JSON rather than a template per resource, so that the HTML
/// can never say less than the JSON it comes from.
enum HTMLDocument {
    static let mediaType = "text/html; charset=utf-8"

    /// The page for `json` (a document this API wrote), requested at `path` with `query`
    /// (its parameters, for the link to the same document in JSON).
    static func page(json bytes: [UInt8], path: String, query: [(name: String, value: String)] = []) -> [UInt8] {
        guard let document = try? JSONValue.parse(Data(bytes), file: path) else { return bytes }
        let title = document["title"].flatMap(\.text) ?? document["id"].flatMap(\.text) ?? path
        var html = """
            <!DOCTYPE html>
            <html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) — refd</title>
            <style>body{font-family:system-ui,"Noto Sans CJK JP",sans-serif;margin:1rem;max-width:80rem}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top;text-align:left}
            dt{font-weight:bold}dd{margin:0 0 .3rem 1rem}.json{font-family:monospace;font-size:.85rem}</style>
            </head><body>
            <nav><a href="/">地図 / map</a> · <a href="/collections">collections</a> · <a href="\(escape(jsonLink(path, query)))">JSON</a></nav>
            <h1>\(escape(title))</h1>

            """
        if case .array(let links)? = document["links"] { html += Self.links(links) }
        if case .array(let features)? = document["features"] {
            html += Self.table(features, path: path)
        } else if case .string("Feature")? = document["type"] {
            html += Self.table([document], path: path)
        }
        guard case .object(let pairs) = document else { return Array((html + "</body></html>\n").utf8) }
        html += "<dl>"
        for (key, value) in pairs where key != "links" && key != "features" {
            html += "<dt>\(escape(key))</dt><dd>\(Self.value(value, depth: 0))</dd>"
        }
        html += "</dl>\n</body></html>\n"
        return Array(html.utf8)
    }

    /// The same URL with `f=json` in place of any `f`.
    static func jsonLink(_ path: String, _ query: [(name: String, value: String)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        let kept = query.filter { $0.name != "f" }.map { pair in
            [pair.name, pair.value].map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
                .joined(separator: "=")
        }
        return path + "?" + (kept + ["f=json"]).joined(separator: "&")
    }

    private static func links(_ links: [JSONValue]) -> String {
        var html = "<h2>Links</h2><ul>"
        for link in links {
            guard let href = link["href"].flatMap(\.text) else { continue }
            let label = link["title"].flatMap(\.text) ?? href
            let relation = link["rel"].flatMap(\.text) ?? ""
            html += "<li><a href=\"\(escape(href))\">\(escape(label))</a> (\(escape(relation)))</li>"
        }
        return html + "</ul>\n"
    }

    /// Features as rows: id, geometry (type and first position), then every property.
    private static func table(_ features: [JSONValue], path: String) -> String {
        var keys: [String] = []
        var seen = Set<String>()
        for feature in features {
            guard case .object(let pairs)? = feature["properties"] else { continue }
            for (key, _) in pairs where seen.insert(key).inserted { keys.append(key) }
        }
        var html = "<h2>Features (\(features.count))</h2><table><tr><th>id</th><th>geometry</th>"
        html += keys.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for feature in features {
            let id = feature["id"].flatMap(\.text) ?? ""
            let itemPath = path.hasSuffix("/items") ? path + "/" + id : nil
            html += "<tr><td>"
            html += itemPath.map { "<a href=\"\(escape($0))\">\(escape(id))</a>" } ?? escape(id)
            html += "</td><td>\(escape(geometrySummary(feature["geometry"])))</td>"
            for key in keys {
                html += "<td>\(feature["properties"]?[key].map { value($0, depth: 1) } ?? "")</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    private static func geometrySummary(_ geometry: JSONValue?) -> String {
        guard let geometry, let type = geometry["type"].flatMap(\.text) else { return "" }
        var first: [Double] = []
        func visit(_ value: JSONValue) {
            guard first.isEmpty, case .array(let items) = value else { return }
            if items.count >= 2, case .number(let x) = items[0], case .number(let y) = items[1] {
                first = [x, y]
            } else {
                items.forEach(visit)
            }
        }
        visit(geometry["coordinates"] ?? .null)
        return first.isEmpty ? type : "\(type) (\(first.map { String($0) }.joined(separator: ", ")) …)"
    }

    /// A value: text as text (links when they are URLs), small structures as lists, deep ones as JSON.
    private static func value(_ value: JSONValue, depth: Int) -> String {
        switch value {
        case .string(let text):
            if text.hasPrefix("http://") || text.hasPrefix("https://") {
                return "<a href=\"\(escape(text))\">\(escape(text))</a>"
            }
            return escape(text)
        case .array(let items) where depth < 2 && items.count <= 50:
            return "<ul>" + items.map { "<li>\(Self.value($0, depth: depth + 1))</li>" }.joined() + "</ul>"
        case .object(let pairs) where depth < 2:
            return "<dl>"
                + pairs.map { "<dt>\(escape($0.key))</dt><dd>\(Self.value($0.value, depth: depth + 1))</dd>" }
                .joined() + "</dl>"
        case .array, .object:
            return "<span class=\"json\">\(escape(value.serialized()))</span>"
        default:
            return escape(value.serialized())
        }
    }

    static func escape(_ text: String) -> String { text.htmlEscaped }
}

extension JSONValue {
    /// The string, when this is one.
    fileprivate var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
