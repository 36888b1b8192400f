/// 建物: one building of the ward's stock, the unit of the damage and fire simulation.
public struct Building: Sendable, Hashable, Codable, Identifiable {
    /// A stable id (the register's own, or `SYN-…` for generated records).
    public var id: String
    /// A representative point (the footprint's centroid where there is one).
    public var position: GeoPoint
    /// The outline, where known.
    public var footprint: GeoPolygon?
    /// 構造.
    public var structure: StructureClass
    /// 建築年: year of construction, where known.
    public var constructionYear: Int?
    /// 階数: storeys above ground.
    public var floors: Int?
    /// 延床面積 in square metres.
    public var floorArea: Double?
    /// 用途.
    public var use: BuildingUse
    /// 防火性能: the fire-resistance class, `nil` where the register does not say.
    public var fireResistance: FireResistanceClass?
    /// 耐震改修: whether and how the building was seismically retrofitted.
    public var seismicRetrofit: SeismicRetrofit
    /// 町丁目 census code of the town it stands in, where known.
    public var townCode: String?
    /// `true` for records made by a generator, never to be taken as real buildings.
    public var isSynthetic: Bool
    /// The fields whose values were assumed (drawn from documented priors) rather than read
    /// from a source: empty for a register's record, every attribute for a generated one, the
    /// attributes but not the footprint for the bundled PLATEAU stock.
    public var assumedAttributes: Set<Attribute>

    /// Creates a building.
    public init(
        id: String, position: GeoPoint, structure: StructureClass, constructionYear: Int? = nil, floors: Int? = nil,
        floorArea: Double? = nil, use: BuildingUse = .unknown, fireResistance: FireResistanceClass? = nil,
        seismicRetrofit: SeismicRetrofit = .none, footprint: GeoPolygon? = nil, townCode: String? = nil,
        isSynthetic: Bool, assumedAttributes: Set<Attribute> = []
    ) {
        self.id = id
        self.position = position
        self.structure = structure
        self.constructionYear = constructionYear
        self.floors = floors
        self.floorArea = floorArea
        self.use = use
        self.fireResistance = fireResistance
        self.seismicRetrofit = seismicRetrofit
        self.footprint = footprint
        self.townCode = townCode
        self.isSynthetic = isSynthetic
        self.assumedAttributes = assumedAttributes
    }

    /// The construction-period class of the Tokyo damage estimate (TMG 2022), from the year.
    public var era: ConstructionEra? { constructionYear.map { ConstructionEra(structure: structure, year: $0) } }

    /// Checks what the types cannot: plausible year, floors and area.
    public func problems(currentYear: Int = 2100) -> [FieldProblem] {
        var found: [FieldProblem] = []
        if let year = constructionYear, !(1800...currentYear).contains(year) {
            found.append(.init(field: "constructionYear", reason: "\(year) is outside 1800…\(currentYear)"))
        }
        if let floors, !(1...200).contains(floors) {
            found.append(.init(field: "floors", reason: "\(floors) is outside 1…200"))
        }
        if let floorArea, !(floorArea.isFinite && floorArea > 0) {
            found.append(.init(field: "floorArea", reason: "\(floorArea) is not a positive area"))
        }
        return found
    }
}

extension Building {
    /// A field of a building record that can be read from a source or assumed.
    public enum Attribute: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// ``Building/position`` and ``Building/footprint``.
        case footprint
        /// ``Building/structure``.
        case structure
        /// ``Building/constructionYear``.
        case constructionYear = "construction_year"
        /// ``Building/floors``.
        case floors
        /// ``Building/floorArea``.
        case floorArea = "floor_area"
        /// ``Building/use``.
        case use
        /// ``Building/fireResistance``.
        case fireResistance = "fire_resistance"
        /// ``Building/seismicRetrofit``.
        case seismicRetrofit = "seismic_retrofit"

        /// Declaration order.
        public static func < (lhs: Self, rhs: Self) -> Bool {
            (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
        }

        /// The set as stored and exported: raw values in declaration order, joined by `;`.
        public static func text(_ set: Set<Self>) -> String { set.sorted().map(\.rawValue).joined(separator: ";") }

        /// The set from ``text(_:)``; `nil` when a name is unknown.
        public static func set(fromText text: String) -> Set<Self>? {
            var result: Set<Self> = []
            for name in text.split(separator: ";", omittingEmptySubsequences: true) {
                guard let attribute = Self(rawValue: String(name)) else { return nil }
                result.insert(attribute)
            }
            return result
        }
    }
}

/// 構造: the structural system, as building registers and damage functions classify it.
public enum StructureClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// 木造: timber frame.
    case wooden
    /// 防火木造 (防火造): timber frame with fire-preventive mortar or siding.
    case firePreventiveWooden = "fire_preventive_wooden"
    /// 鉄筋コンクリート造 (RC).
    case reinforcedConcrete = "rc"
    /// 鉄骨鉄筋コンクリート造 (SRC).
    case steelReinforcedConcrete = "src"
    /// 鉄骨造 (S).
    case steel
    /// 軽量鉄骨造.
    case lightSteel = "light_steel"
    /// 非木造 whose system the register does not give: 固定資産課税台帳 statistics only split
    /// 木造 from 非木造, and so does the synthetic stock built from them.
    case nonWoodenUnspecified = "non_wooden"

    /// Whether the frame is timber (木造 in the TMG classes).
    public var isWooden: Bool { self == .wooden || self == .firePreventiveWooden }

    /// The Japanese name.
    public var japaneseName: String {
        switch self {
        case .wooden: "木造"
        case .firePreventiveWooden: "防火木造"
        case .reinforcedConcrete: "鉄筋コンクリート造"
        case .steelReinforcedConcrete: "鉄骨鉄筋コンクリート造"
        case .steel: "鉄骨造"
        case .lightSteel: "軽量鉄骨造"
        case .nonWoodenUnspecified: "非木造"
        }
    }
}

/// 防火性能: the fire-resistance class that decides how fire spreads between buildings.
public enum FireResistanceClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// 耐火建築物.
    case fireResistant = "fire_resistant"
    /// 準耐火建築物.
    case quasiFireResistant = "quasi_fire_resistant"
    /// 防火造.
    case firePreventive = "fire_preventive"
    /// 裸木造: bare timber.
    case bareWooden = "bare_wooden"

    /// The Japanese name.
    public var japaneseName: String {
        switch self {
        case .fireResistant: "耐火"
        case .quasiFireResistant: "準耐火"
        case .firePreventive: "防火"
        case .bareWooden: "裸木造"
        }
    }
}

/// 耐震改修: seismic retrofit state.
public enum SeismicRetrofit: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not retrofitted, or not known to be.
    case none
    /// Retrofitted to the 1981 新耐震 standard (a damage model reclassifies it as 新築年).
    case retrofitted
    /// Assessed by 耐震診断 as meeting the standard without work (Is ≥ 0.6 or 評点 ≥ 1.0).
    case assessedAdequate = "assessed_adequate"
}

/// 用途: what the building is used for.
public enum BuildingUse: String, Sendable, Hashable, Codable, CaseIterable {
    /// 住宅 (detached house).
    case detachedHouse = "detached_house"
    /// 共同住宅 (apartments).
    case apartment
    /// 店舗・事務所 (shops and offices).
    case commercial
    /// 工場・倉庫.
    case industrial
    /// 公共施設 (schools, halls, hospitals).
    case publicFacility = "public"
    /// Not known.
    case unknown
}

/// The construction-period classes of the TMG 2022 damage estimate (木造 6 classes, 非木造 3).
public enum ConstructionEra: String, Sendable, Hashable, Codable, CaseIterable {
    /// 木造 旧築年: ≤ 1962.
    case woodenBefore1963 = "wooden_-1962"
    /// 木造 中築年①: 1963–1971.
    case wooden1963to1971 = "wooden_1963-1971"
    /// 木造 中築年②: 1972–1980.
    case wooden1972to1980 = "wooden_1972-1980"
    /// 木造 新築年①: 1981–1990.
    case wooden1981to1990 = "wooden_1981-1990"
    /// 木造 新築年②: 1991–2000.
    case wooden1991to2000 = "wooden_1991-2000"
    /// 木造 新築年③: ≥ 2001.
    case woodenFrom2001 = "wooden_2001-"
    /// 非木造 旧築年: ≤ 1971.
    case nonWoodenBefore1972 = "non_wooden_-1971"
    /// 非木造 中築年: 1972–1980.
    case nonWooden1972to1980 = "non_wooden_1972-1980"
    /// 非木造 新築年: ≥ 1981.
    case nonWoodenFrom1981 = "non_wooden_1981-"

    /// The class of a building of the given structure built in the given year.
    public init(structure: StructureClass, year: Int) {
        if structure.isWooden {
            switch year {
            case ...1962: self = .woodenBefore1963
            case 1963...1971: self = .wooden1963to1971
            case 1972...1980: self = .wooden1972to1980
            case 1981...1990: self = .wooden1981to1990
            case 1991...2000: self = .wooden1991to2000
            default: self = .woodenFrom2001
            }
        } else {
            switch year {
            case ...1971: self = .nonWoodenBefore1972
            case 1972...1980: self = .nonWooden1972to1980
            default: self = .nonWoodenFrom1981
            }
        }
    }

    /// Whether the class is one of the wooden ones (木造).
    public var isWooden: Bool { rawValue.hasPrefix("wooden") }

    /// First and last year of the class; `nil` for an open end.
    public var years: (from: Int?, to: Int?) {
        switch self {
        case .woodenBefore1963: (nil, 1962)
        case .wooden1963to1971: (1963, 1971)
        case .wooden1972to1980: (1972, 1980)
        case .wooden1981to1990: (1981, 1990)
        case .wooden1991to2000: (1991, 2000)
        case .woodenFrom2001: (2001, nil)
        case .nonWoodenBefore1972: (nil, 1971)
        case .nonWooden1972to1980: (1972, 1980)
        case .nonWoodenFrom1981: (1981, nil)
        }
    }

    /// Whether the class is built to the 1981 新耐震 code.
    public var meetsNewSeismicCode: Bool { (years.from ?? 0) >= 1981 }
}
