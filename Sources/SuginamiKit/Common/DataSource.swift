/// Where a record came from and on what terms it may be reused (出典 and licence).
///
/// Attribution travels with every record, so that whatever a vendor publishes from the store
/// can carry the 出典 that the licence requires.
public struct DataSource: Sendable, Hashable, Codable {
    /// A short stable key, e.g. `gsi-emergency-evacuation-sites`.
    public var id: String
    /// What the dataset is, in words.
    public var title: String
    /// The licence or terms of use, e.g. `CC BY 4.0` or `国土地理院コンテンツ利用規約`.
    public var licence: String
    /// The attribution text to show wherever the data are shown (出典).
    public var attribution: String

    /// Creates a source description.
    public init(id: String, title: String, licence: String, attribution: String) {
        self.id = id
        self.title = title
        self.licence = licence
        self.attribution = attribution
    }
}
