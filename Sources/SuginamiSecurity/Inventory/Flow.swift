/// A declared network flow (通信経路) from one asset or zone to another.
public struct Flow: Sendable, Codable, Hashable, Identifiable {
    /// A unique id.
    public var id: String
    /// The source: an asset id or a zone id.
    public var from: String
    /// The destination: an asset id or a zone id.
    public var to: String
    /// The protocol.
    public var `protocol`: FlowProtocol
    /// Destination ports or ranges (`443`, `8000-8080`); absent means any port.
    public var ports: [PortRange]?
    /// Allowed or denied.
    public var action: FlowAction
    /// Host-level pinning of the two ends (IP and/or MAC addresses).
    public var pinned: Pinning?
    /// The gateway asset it passes through.
    public var gateway: String?
    /// The 無害化 applied to what the flow carries.
    public var sanitizer: Sanitizer?
    /// The approval (決裁) reference for an exception.
    public var approval: String?
    /// Why the flow exists.
    public var purpose: String?
    /// Evidence ids (e.g. a firewall export).
    public var evidence: [String]?

    /// Creates a flow.
    public init(id: String, from: String, to: String, protocol: FlowProtocol, action: FlowAction) {
        self.id = id
        self.from = from
        self.to = to
        self.protocol = `protocol`
        self.action = action
    }

    /// Pinned at host and port level with an approval: both ends a named host (one unicast
    /// address, or a unicast MAC; never a wildcard such as `0.0.0.0`, `::` or a network), a named
    /// protocol and explicit single ports.
    public var isPinned: Bool {
        guard let pinned, let approval, !approval.isEmpty, `protocol` != .any else { return false }
        let sourceHost = pinned.sourceAddress?.isNamedHost ?? false || pinned.sourceMAC?.isNamedHost ?? false
        let destinationHost =
            pinned.destinationAddress?.isNamedHost ?? false || pinned.destinationMAC?.isNamedHost ?? false
        let portsPinned = `protocol` == .icmp || (ports.map { !$0.isEmpty && $0.allSatisfy(\.isSinglePort) } ?? false)
        return sourceHost && destinationHost && portsPinned
    }
}

/// Host-level pinning of a flow's ends.
public struct Pinning: Sendable, Codable, Hashable {
    /// The source address or network.
    public var sourceAddress: IPNetwork?
    /// The source MAC address.
    public var sourceMAC: MACAddress?
    /// The destination address or network.
    public var destinationAddress: IPNetwork?
    /// The destination MAC address.
    public var destinationMAC: MACAddress?

    /// Creates a pinning.
    public init(
        sourceAddress: IPNetwork? = nil, sourceMAC: MACAddress? = nil, destinationAddress: IPNetwork? = nil,
        destinationMAC: MACAddress? = nil
    ) {
        self.sourceAddress = sourceAddress
        self.sourceMAC = sourceMAC
        self.destinationAddress = destinationAddress
        self.destinationMAC = destinationMAC
    }
}

/// Protocols.
public enum FlowProtocol: String, ClosedSet {
    /// TCP.
    case tcp
    /// UDP.
    case udp
    /// ICMP.
    case icmp
    /// Any protocol.
    case any
}

/// Whether a flow is permitted.
public enum FlowAction: String, ClosedSet {
    /// Permitted.
    case allow
    /// Denied (declared for completeness; carries nothing).
    case deny
}

/// 無害化 methods for content moving into the LGWAN zone.
public enum Sanitizer: String, ClosedSet {
    /// Mail converted to text, attachments removed (メールのテキスト化).
    case mailText = "mail-text"
    /// Screen transfer (画面転送).
    case screenTransfer = "screen-transfer"
    /// File sanitisation (ファイル無害化).
    case fileSanitize = "file-sanitize"
    /// None.
    case none
}
