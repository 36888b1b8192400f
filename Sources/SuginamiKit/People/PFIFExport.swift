import Foundation

/// PFIF 1.4 (People Finder Interchange Format, <http://zesty.ca/pfif/1.4>), the format Person
/// Finder reads: the people who consented to it, each with a note of their latest known state,
/// so that families searching Person Finder find them.
///
/// Only what finding someone needs leaves the ward: the name, its reading (as PFIF's
/// `alternate_names`, as Person Finder's Japanese pages use it), the city, prefecture and
/// country. Never the address, date of birth, phone, needs or supporters, never a person who did
/// not consent (a consent the ward's 条例 presumes is not consent to this), and never a death
/// (the ward publishes deaths only under its own policy).
public struct PFIFExport: Sendable {
    /// The repository's domain: the first part of every record id (`city.suginami.tokyo.jp`).
    public var domain: String
    /// `source_name`, in ASCII (e.g. `Suginami City`).
    public var sourceName: String
    /// `home_city` (e.g. `杉並区`).
    public var city: String
    /// `home_state`: ISO 3166-2 (e.g. `JP-13`, Tokyo).
    public var state: String

    /// An export for a repository.
    public init(domain: String, sourceName: String, city: String, state: String) {
        self.domain = domain
        self.sourceName = sourceName
        self.city = city
        self.state = state
    }

    /// The PFIF document of the `people` who consented, with the latest state on `board`,
    /// entered at `now` and expiring at `expiry`.
    /// - Throws: ``PFIFError`` for a domain or source name PFIF does not allow, or an expiry
    ///   that is not after `now`.
    public func document(
        people: [PersonNeedingSupport], board: SafetyBoard, now: Date, expiry: Date
    ) throws(PFIFError) -> String {
        guard domain.wholeMatch(of: /[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+/) != nil else {
            throw .badDomain(domain)
        }
        guard !sourceName.isEmpty, sourceName.allSatisfy({ $0.isASCII && !$0.isNewline }) else {
            throw .sourceNameNotASCII(sourceName)
        }
        guard expiry > now else { throw .expiryNotAfterNow }
        func element(_ name: String, _ value: String) -> String {
            "    <pfif:\(name)>\(value.htmlEscaped)</pfif:\(name)>"
        }
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<pfif:pfif xmlns:pfif=\"\(Self.namespace)\">"]
        for person in people.sorted(by: { $0.id < $1.id }) where person.consent == .consented {
            let id = "\(domain)/\(person.id)"
            lines += [
                "  <pfif:person>", element("person_record_id", id), element("entry_date", Self.time(now)),
                element("expiry_date", Self.time(expiry)), element("source_name", sourceName),
                element("source_date", Self.time(now)), element("full_name", person.name),
                element("alternate_names", person.kana), element("home_city", city), element("home_state", state),
                element("home_country", "JP"),
            ]
            if let check = board.latest[person.id], let status = Self.status(check.state) {
                lines += [
                    "    <pfif:note>", "  " + element("note_record_id", "\(id).\(Self.time(check.observedAt))"),
                    "  " + element("person_record_id", id), "  " + element("entry_date", Self.time(now)),
                    "  " + element("author_name", check.source),
                    "  " + element("source_date", Self.time(check.observedAt)),
                    "  " + element("author_made_contact", check.state.isConfirmed ? "true" : "false"),
                    "  " + element("status", status), "  " + element("text", Self.text(check.state)),
                    "    </pfif:note>",
                ]
            }
            lines.append("  </pfif:person>")
        }
        lines.append("</pfif:pfif>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The PFIF namespace.
    public static let namespace = "http://zesty.ca/pfif/1.4"

    /// PFIF's note status for a state; `nil` for a death, which is not exported.
    static func status(_ state: SafetyState) -> String? {
        switch state {
        case .safeAtCentre, .safeAtHome, .safeElsewhere, .injured, .hospitalised: "believed_alive"
        case .missing: "believed_missing"
        case .unknown: "information_sought"
        case .deceased: nil
        }
    }

    /// The note's text, in Japanese.
    static func text(_ state: SafetyState) -> String {
        switch state {
        case .safeAtCentre: "震災救援所で無事を確認しました。"
        case .safeAtHome: "在宅で無事を確認しました。"
        case .safeElsewhere: "無事を確認しました。"
        case .injured: "負傷していますが、無事を確認しました。"
        case .hospitalised: "入院しています。"
        case .missing: "行方が分かっていません。"
        case .unknown: "安否を確認中です。"
        case .deceased: ""
        }
    }

    /// `2027-04-01T05:00:00Z`.
    static func time(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false)) + "Z"
    }
}

/// Why a PFIF document cannot be written.
public enum PFIFError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a lower-case domain name.
    case badDomain(String)
    /// `source_name` must be ASCII.
    case sourceNameNotASCII(String)
    /// The records would have expired already.
    case expiryNotAfterNow

    /// A sentence naming the field.
    public var description: String {
        switch self {
        case .badDomain(let domain):
            "domain: \"\(domain)\" is not a lower-case domain name (e.g. city.suginami.tokyo.jp)"
        case .sourceNameNotASCII(let name): "source_name: \"\(name)\" must be ASCII on one line (PFIF)"
        case .expiryNotAfterNow: "expiry_date: must be after now"
        }
    }
}
