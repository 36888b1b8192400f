import SuginamiCore

/// The human report of an assessment (監査報告用): one self-contained HTML page in Japanese with
/// the English ids — summary, fails first with their explanations, not-assessed, waivers, the
/// Statement of Applicability and the evidence with its age and hash.
public enum HTMLReport {
    /// The page.
    public static func page(for result: AssessmentResult) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="ja"><head><meta charset="utf-8">
            <title>情報セキュリティ管理策点検報告 — \(escape(result.organization))</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:72em}table{border-collapse:collapse;width:100%}
            td,th{border:1px solid #999;padding:.3em;vertical-align:top;text-align:left}
            .fail{background:#fdd}.not-assessed{background:#ffd}.error{background:#fcf}.pass{background:#dfd}
            .not-applicable{background:#eee}code{font-size:90%}</style></head><body>
            <h1>情報セキュリティ管理策点検報告 (ISMS control check report)</h1>
            <p>団体 (organisation): \(escape(result.organization)) — ネットワークモデル (network model): \(result.networkModel.rawValue)<br>
            台帳時点 (inventory snapshot): \(result.snapshotAt.text) — 点検時刻 (assessed at): \(result.assessedAt.text)</p>

            """
        html += "<h2>概要 (summary)</h2><table><tr><th>判定 (verdict)</th><th>規則数 (rules)</th></tr>"
        for verdict in Verdict.allCases {
            html += "<tr class=\"\(verdict.rawValue)\"><td>\(verdict.japanese) (\(verdict.rawValue))</td>"
            html += "<td>\(result.ruleCounts[verdict] ?? 0)</td></tr>"
        }
        html += "</table>\n"
        // Rules, worst first: fails lead.
        let ordered = result.outcomes.enumerated().sorted {
            ($0.element.verdict, $0.offset) < ($1.element.verdict, $1.offset)
        }
        html += "<h2>規則別結果 (results by rule, fails first)</h2>\n"
        for (_, outcome) in ordered {
            let rule = outcome.rule
            html += "<h3 class=\"\(outcome.verdict.rawValue)\">\(outcome.verdict.japanese) — <code>\(rule.id)</code> "
            html += "\(escape(rule.title))</h3>\n<p>"
            if let english = rule.titleEnglish { html += "\(escape(english))<br>" }
            html += "水準 (level): \(rule.level.rawValue) · 重大度 (severity): \(rule.severity.rawValue) · 出典 (source): "
            html += escape(
                [rule.source.document, rule.source.edition, rule.source.section].compactMap { $0 }.joined(
                    separator: " "))
            html += "<br>ISO/IEC 27001:2022: "
            html += rule.maps.map { "\($0.control) (\($0.relation.rawValue))" }.joined(separator: ", ") + "</p>\n"
            if let tailoring = outcome.tailoring {
                html += "<p class=\"tailoring\">テーラリング (tailoring, profile \(escape(tailoring.profile))): "
                html +=
                    tailoring.disabled
                    ? "無効化 (disabled)" : "変更 (changed): " + tailoring.changes.map(escape).joined(separator: "; ")
                html += "<br>理由 (reason): \(escape(tailoring.reason))</p>\n"
            }
            if let note = outcome.note { html += "<p>\(escape(note))</p>\n" }
            if outcome.verdict == .fail, let remediation = rule.remediation {
                html += "<p class=\"remediation\">是正 (remediation): \(escape(remediation.ja))<br>"
                html += "\(escape(remediation.en))</p>\n"
            }
            let shown = outcome.subjects.filter { $0.verdict != .pass }
            if !shown.isEmpty {
                html +=
                    "<table><tr><th>対象 (subject)</th><th>判定</th><th>説明 (explanation)</th><th>証跡 (evidence)</th></tr>\n"
                for subject in shown {
                    html += "<tr class=\"\(subject.verdict.rawValue)\"><td><code>\(escape(subject.subject))</code></td>"
                    html += "<td>\(subject.verdict.japanese)"
                    if let waiver = subject.waiver {
                        html += "<br>例外承認済 (waived) by \(escape(waiver.approver)) until \(waiver.expiresAt.text)"
                        html += "<br>理由 (reason): \(escape(waiver.reason))"
                    }
                    html += "</td><td>\(escape(JapaneseExplanation.sentence(for: subject, of: rule)))"
                    html += "<br><span lang=\"en\">\(escape(subject.explanation))</span>"
                    if !subject.facts.isEmpty {
                        html += "<ul>" + subject.facts.map { "<li><code>\(escape($0))</code></li>" }.joined() + "</ul>"
                    }
                    html += "</td><td>\(subject.evidence.map(escape).joined(separator: "<br>"))</td></tr>\n"
                }
                html += "</table>\n"
            }
            let passed = outcome.subjects.count { $0.verdict == .pass }
            if passed > 0 { html += "<p>適合 (pass): \(passed) 件</p>\n" }
        }
        let applied = result.outcomes.flatMap { $0.subjects.compactMap(\.waiver) }
        if !applied.isEmpty || !result.expiredWaivers.isEmpty || !result.unusedWaivers.isEmpty {
            html +=
                "<h2>例外承認 (waivers)</h2><table><tr><th>状態</th><th>規則</th><th>対象</th><th>理由</th><th>承認者</th><th>期限</th></tr>\n"
            for (state, waivers) in [
                ("適用中 (applied)", applied), ("期限切れ (expired)", result.expiredWaivers),
                ("未使用 (unused)", result.unusedWaivers),
            ] {
                for waiver in waivers {
                    html +=
                        "<tr><td>\(state)</td><td><code>\(waiver.rule)</code></td><td>\(escape(waiver.subject))</td>"
                    html +=
                        "<td>\(escape(waiver.reason))</td><td>\(escape(waiver.approver))</td><td>\(waiver.expiresAt.text)</td></tr>\n"
                }
            }
            html += "</table>\n"
        }
        let tailored = result.outcomes.filter { $0.tailoring != nil }
        let inherited = result.applicability.entries.compactMap(\.inherited)
        if !tailored.isEmpty || !inherited.isEmpty {
            html += "<h2>テーラリング (tailoring)</h2>\n<table><tr><th>規則・管理策</th><th>内容</th><th>理由・根拠</th></tr>\n"
            for outcome in tailored {
                let note = outcome.tailoring!
                html += "<tr><td><code>\(outcome.rule.id)</code></td><td>"
                html += note.disabled ? "無効化 (disabled)" : note.changes.map(escape).joined(separator: "<br>")
                html += "</td><td>\(escape(note.reason)) (profile \(escape(note.profile)))</td></tr>\n"
            }
            for control in inherited {
                html +=
                    "<tr><td>\(escape(control.control))</td><td>継承 (inherited from \(escape(control.provider)))</td>"
                html +=
                    "<td>\([control.evidence.map { "証跡 (evidence) \($0)" }, control.reference].compactMap { $0 }.map(escape).joined(separator: "<br>"))</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += "<h2>適用宣言書 (Statement of Applicability, ISO/IEC 27001:2022 Annex A)</h2>\n"
        html +=
            "<table><tr><th>ID</th><th>管理策 (control)</th><th>適用</th><th>方法</th><th>判定</th><th>根拠 (justification)</th></tr>\n"
        for entry in result.applicability.entries {
            let verdict = entry.verdict
            html +=
                "<tr class=\"\(verdict?.rawValue ?? "")\"><td>\(entry.control.id)</td><td>\(escape(entry.control.title))</td>"
            html += "<td>\(entry.applicable ? "適用" : "除外")</td><td>\(entry.method)</td>"
            html +=
                "<td>\(verdict.map { "\($0.japanese) (\($0.rawValue))" } ?? "—")</td><td>\(escape(entry.justification))</td></tr>\n"
        }
        html += "</table>\n<h2>証跡 (evidence)</h2>\n"
        html += "<table><tr><th>ID</th><th>種別</th><th>収集</th><th>経過日数</th><th>SHA-256</th></tr>\n"
        for item in result.evidence {
            let age = Int(item.collectedAt.days(until: result.assessedAt))
            html +=
                "<tr><td><code>\(escape(item.id))</code></td><td>\(item.kind.rawValue)</td><td>\(item.collectedAt.text)</td>"
            html += "<td>\(age)</td><td><code>\(item.sha256.lowercased())</code></td></tr>\n"
        }
        html += "</table>\n</body></html>\n"
        return html
    }

    static func escape(_ text: String) -> String { text.htmlEscaped }
}
