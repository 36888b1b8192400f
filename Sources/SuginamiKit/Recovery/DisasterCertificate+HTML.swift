import Foundation

extension DisasterCertificate {
    /// The certificate as one print-ready HTML page: Japanese, A4 portrait (`@page`), dates in
    /// the Japanese era as municipal documents print them, every field escaped. Printing it (or
    /// `chromium --print-to-pdf`) gives one A4 page.
    public func printableHTML() -> String {
        func row(_ label: String, _ value: String, `class`: String? = nil) -> String {
            let attribute = `class`.map { " class=\"\($0)\"" } ?? ""
            return "<tr><th>\(label.htmlEscaped)</th><td\(attribute)>\(value.htmlEscaped)</td></tr>"
        }
        var rows = [
            row("世帯主氏名", household.head),
            row("被災住家の所在地", household.address),
            row("災害名", disaster.name),
            row("罹災年月日", Self.eraDate(disaster.date)),
            row("罹災原因", cause),
            row("被害の程度", judgement.grade.japaneseName, class: "grade"),
            row("判定", judgement.japaneseSummary),
            row("調査日", Self.eraDate(surveyedAt)),
        ]
        if let change {
            rows.append(row("変更", "第\(version)版: \(change.japaneseText)"))
        }
        let superseded =
            version > 1
            ? "<p class=\"note\">この証明書は第\(version)版であり、第\(version - 1)版以前の証明書に代わるものです。</p>" : ""
        return """
            <!DOCTYPE html>
            <html lang="ja">
            <head>
            <meta charset="utf-8">
            <title>り災証明書 \(number.description.htmlEscaped)</title>
            <style>
            @page { size: A4 portrait; margin: 20mm 18mm; }
            html { font-family: "Noto Serif CJK JP", "Noto Serif JP", serif; font-size: 11pt; color: #000; }
            body { margin: 0; }
            .sheet { width: 174mm; }
            .number { text-align: right; margin: 0; }
            h1 { text-align: center; font-size: 24pt; letter-spacing: 0.6em; margin: 10mm 0 12mm; }
            table { width: 100%; border-collapse: collapse; }
            th, td { border: 0.3mm solid #000; padding: 3mm 4mm; text-align: left; vertical-align: top; }
            th { width: 42mm; font-weight: normal; background: #eee; }
            td.grade { font-size: 18pt; font-weight: bold; }
            .statement { margin: 14mm 0 4mm; font-size: 12pt; }
            .issued { margin: 0; }
            .issuer { text-align: right; margin-top: 14mm; font-size: 14pt; letter-spacing: 0.2em; }
            .note { font-size: 9pt; margin-top: 8mm; }
            .standard { font-size: 9pt; margin-top: 12mm; border-top: 0.2mm solid #000; padding-top: 2mm; }
            @media screen {
              body { background: #bbb; }
              .sheet { background: #fff; margin: 8mm auto; padding: 20mm 18mm; min-height: 257mm; }
            }
            </style>
            </head>
            <body>
            <div class="sheet">
            <p class="number">第 \(number.description.htmlEscaped) 号（第\(version)版）</p>
            <h1>り災証明書</h1>
            <table>
            \(rows.joined(separator: "\n"))
            </table>
            <p class="statement">上記のとおり相違ないことを証明します。</p>
            <p class="issued">\(Self.eraDate(issuedAt).htmlEscaped)</p>
            <p class="issuer">\(issuer.htmlEscaped)</p>
            \(superseded)
            <p class="standard">被害の程度は、内閣府「災害に係る住家の被害認定基準運用指針」（\(judgement.edition.htmlEscaped)）により判定しています。</p>
            </div>
            </body>
            </html>

            """
    }

    /// `令和9年4月1日`: the Japanese era date, in Japan.
    static func eraDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "ja_JP")
        formatter.calendar = Calendar(identifier: .japanese)
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "GGGGy年M月d日"
        return formatter.string(from: date)
    }
}
