/// The kinds of disaster facility a municipality publishes.
public enum FacilityKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// 震災救援所: a school or hall opened as the neighbourhood's base after an earthquake
    /// (shelter, supplies, information). Suginami's term for its earthquake relief centres.
    case reliefCentre = "relief_centre"
    /// 指定緊急避難場所: a place designated for escaping an imminent hazard, with the hazards
    /// it is suitable for (``HazardSuitability``).
    case emergencyEvacuationSite = "emergency_evacuation_site"
    /// 指定避難所: a designated shelter where evacuees stay; ``Facility/isWelfareShelter`` marks
    /// a 福祉避難所 for people needing assistance.
    case designatedShelter = "designated_shelter"
    /// 広域避難場所: a large open area that protects against spreading urban fire, with the
    /// districts it serves (``Facility/coveredDistricts``).
    case wideAreaEvacuationSite = "wide_area_evacuation_site"
    /// 一時集合場所: a local gathering point before moving on to a wide-area site.
    case temporaryAssemblyPoint = "temporary_assembly_point"
    /// 一時滞在施設: a place where stranded commuters (帰宅困難者) may stay.
    case temporaryStayFacility = "temporary_stay_facility"
    /// 災害時給水拠点: a water station with stored drinking water (``Facility/storedWaterLitres``).
    case waterStation = "water_station"
    /// 災害拠点病院 and its partner and support hospitals (``Facility/hospitalRole``).
    case disasterHospital = "disaster_hospital"
    /// 街頭消火器: a street fire extinguisher.
    case fireExtinguisher = "fire_extinguisher"
    /// 震災用井戸 / 災害時協力井戸: a well whose water may be used after a disaster.
    case disasterWell = "disaster_well"
    /// 防災備蓄倉庫: a warehouse of stockpiled supplies.
    case stockpileWarehouse = "stockpile_warehouse"

    /// The Japanese name of the kind.
    public var japaneseName: String {
        switch self {
        case .reliefCentre: "震災救援所"
        case .emergencyEvacuationSite: "指定緊急避難場所"
        case .designatedShelter: "指定避難所"
        case .wideAreaEvacuationSite: "広域避難場所"
        case .temporaryAssemblyPoint: "一時集合場所"
        case .temporaryStayFacility: "一時滞在施設"
        case .waterStation: "災害時給水拠点"
        case .disasterHospital: "災害拠点病院等"
        case .fireExtinguisher: "街頭消火器"
        case .disasterWell: "災害用井戸"
        case .stockpileWarehouse: "防災備蓄倉庫"
        }
    }

    /// Whether people may stay there, so that its open/closed/full status matters.
    public var isShelter: Bool {
        self == .reliefCentre || self == .designatedShelter || self == .temporaryStayFacility
    }

    /// The raw value, as stored and exported.
    public var description: String { rawValue }
}

/// The role of a hospital in the ward's disaster medical plan.
public enum DisasterHospitalRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// 災害拠点病院: takes the severely injured.
    case base
    /// 災害拠点連携病院: takes the moderately injured.
    case partner
    /// 災害拠点協力病院: supports the others, e.g. with the slightly injured.
    case support

    /// The Japanese name used by Tokyo and the ward.
    public var japaneseName: String {
        switch self {
        case .base: "災害拠点病院"
        case .partner: "災害拠点連携病院"
        case .support: "災害拠点協力病院"
        }
    }

    /// Parses the Japanese name.
    public init?(japaneseName: String) {
        guard let role = Self.allCases.first(where: { $0.japaneseName == japaneseName }) else { return nil }
        self = role
    }
}
