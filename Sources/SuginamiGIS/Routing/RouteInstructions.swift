import Foundation
import SuginamiKit

/// The languages route instructions are given in.
public enum RouteLanguage: String, Sendable, CaseIterable {
    /// 日本語.
    case japanese = "ja"
    /// English.
    case english = "en"
    /// 简体中文.
    case simplifiedChinese = "zh-Hans"
    /// 한국어.
    case korean = "ko"
    /// やさしい日本語: short sentences, hiragana, one instruction each, for residents still learning
    /// Japanese (after the 出入国在留管理庁・文化庁 guidelines' style).
    case easyJapanese = "ja-easy"
}

/// Step-by-step instructions for a ``Route``: where to head, where to turn and onto which street,
/// how far, and the arrival, in five languages. Legs of the same street without a real turn are
/// one step; a turn is a change of direction of 30° or more at a junction.
public struct RouteInstructions: Sendable, Hashable {
    /// One step.
    public struct Step: Sendable, Hashable {
        /// What to do at the step's start.
        public enum Action: Sendable, Hashable {
            /// Set off, heading this way (compass sector 0 = north, 1 = north-east, …, 7).
            case depart(compass: Int)
            /// Turn: negative to the left, positive to the right, by degrees.
            case turn(degrees: Double)
            /// Keep straight on where the street changes.
            case continueStraight
        }

        /// The action.
        public var action: Action
        /// The street walked after it ("" where the data has no name).
        public var street: String
        /// Metres walked on it.
        public var distance: Double
        /// Whether the step is a flight of steps (階段): said so, because a resident pushing a
        /// pram or helping someone who walks badly needs to know.
        public var onSteps = false
    }

    /// The steps, without the arrival.
    public let steps: [Step]
    /// What the route arrives at, for the last sentence; nil for a position with no name
    /// (told as "the destination" in each language).
    public let destination: String?
    /// Metres from the network to the destination, said when at least ``offRoadNotice``.
    public let destinationAccess: Double

    /// The off-road stretch at the end from which the instructions say it is not on a mapped road.
    public static let offRoadNotice = 50.0

    /// Instructions for `route`, arriving at `destination` (a name), or at an unnamed position.
    public init(route: Route, destination: String? = nil) {
        var steps: [Step] = []
        var previousBearing: Double?
        for leg in route.legs where leg.points.count >= 2 && leg.length > 0 {
            let startBearing = Self.bearing(leg.points[0], leg.points[1])
            let endBearing = Self.bearing(leg.points[leg.points.count - 2], leg.points[leg.points.count - 1])
            defer { previousBearing = endBearing }
            guard let previous = previousBearing, var last = steps.last else {
                steps.append(
                    Step(
                        action: .depart(compass: Int(((startBearing + 22.5) / 45).rounded(.down)) % 8),
                        street: leg.street, distance: leg.length, onSteps: leg.isSteps))
                continue
            }
            var turn = startBearing - previous
            if turn > 180 { turn -= 360 }
            if turn < -180 { turn += 360 }
            if abs(turn) < 30 && leg.isSteps == last.onSteps
                && (leg.street == last.street || leg.street.isEmpty || last.street.isEmpty)
            {
                last.distance += leg.length
                if last.street.isEmpty { last.street = leg.street }
                steps[steps.count - 1] = last
            } else {
                steps.append(
                    Step(
                        action: abs(turn) < 30 ? .continueStraight : .turn(degrees: turn), street: leg.street,
                        distance: leg.length, onSteps: leg.isSteps))
            }
        }
        self.steps = steps
        self.destination = destination
        destinationAccess = route.destinationAccess
    }

    /// Initial bearing from `a` to `b`, degrees clockwise from north (a local plane is exact
    /// enough over one segment).
    static func bearing(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let east = (b.longitude - a.longitude) * cos(a.latitude * .pi / 180)
        let north = b.latitude - a.latitude
        let degrees = atan2(east, north) * 180 / .pi
        return degrees < 0 ? degrees + 360 : degrees
    }

    /// The instructions as sentences, the arrival last.
    public func sentences(_ language: RouteLanguage) -> [String] {
        steps.map { sentence($0, language) } + offRoad(language) + [arrival(language)]
    }

    /// "The last 300 m is not on a mapped road", when the destination lies that far off it.
    private func offRoad(_ language: RouteLanguage) -> [String] {
        guard destinationAccess >= Self.offRoadNotice else { return [] }
        let metres = Int((destinationAccess / 10).rounded()) * 10
        return switch language {
        case .english: ["The last \(metres) m is not on a mapped road: walk straight towards it where you can."]
        case .japanese: ["最後の約\(metres)メートルは地図上の道路ではありません。通れる所を通って向かってください。"]
        case .simplifiedChinese: ["最后约\(metres)米不在地图上的道路上，请尽量沿可通行处直接前往。"]
        case .korean: ["마지막 약 \(metres)미터는 지도에 있는 도로가 아닙니다. 갈 수 있는 곳으로 향하세요."]
        case .easyJapanese: ["さいごの \(metres)メートルは ちずに ない みちです。あるける ところを とおって ください。"]
        }
    }

    private func sentence(_ step: Step, _ language: RouteLanguage) -> String {
        let street =
            step.onSteps
            ? Self.stairs[language]! + (step.street.isEmpty ? "" : "（\(step.street)）")
            : step.street.isEmpty ? Self.unnamed[language]! : step.street
        let metres = Int((step.distance / 10).rounded()) * 10
        let distance = metres == 0 ? "<10" : String(metres)
        switch (step.action, language) {
        case (.depart(let compass), .english):
            return "Head \(Self.compass[language]![compass]) on \(street) for \(distance) m."
        case (.depart(let compass), .japanese):
            return "\(street)を\(Self.compass[language]![compass])へ\(distance)メートル進みます。"
        case (.depart(let compass), .simplifiedChinese):
            return "沿\(street)向\(Self.compass[language]![compass])走\(distance)米。"
        case (.depart(let compass), .korean):
            return "\(street)을(를) 따라 \(Self.compass[language]![compass])쪽으로 \(distance)미터 가세요."
        case (.depart(let compass), .easyJapanese):
            return "\(street)を \(Self.compass[language]![compass])へ \(distance)メートル あるいて ください。"
        case (.continueStraight, .english): return "Continue straight onto \(street) for \(distance) m."
        case (.continueStraight, .japanese): return "そのまま直進して\(street)を\(distance)メートル進みます。"
        case (.continueStraight, .simplifiedChinese): return "直行进入\(street)，走\(distance)米。"
        case (.continueStraight, .korean): return "직진하여 \(street)(으)로 \(distance)미터 가세요."
        case (.continueStraight, .easyJapanese): return "まっすぐ すすんで、\(street)を \(distance)メートル あるいて ください。"
        case (.turn(let degrees), _):
            let side = degrees < 0 ? 0 : 1
            let size = abs(degrees) < 60 ? 0 : abs(degrees) < 135 ? 1 : 2
            let turn = Self.turns[language]![size][side]
            switch language {
            case .english: return "\(turn) onto \(street) and walk \(distance) m."
            case .japanese: return "\(turn)、\(street)を\(distance)メートル進みます。"
            case .simplifiedChinese: return "\(turn)进入\(street)，走\(distance)米。"
            case .korean: return "\(turn) \(street)(으)로 \(distance)미터 가세요."
            case .easyJapanese: return "\(turn)。\(street)を \(distance)メートル あるいて ください。"
            }
        }
    }

    private func arrival(_ language: RouteLanguage) -> String {
        let destination = self.destination ?? Self.unnamedDestination[language]!
        return switch language {
        case .english: "Arrive at \(destination)."
        case .japanese: "\(destination)に到着します。"
        case .simplifiedChinese: "到达\(destination)。"
        case .korean: "\(destination)에 도착합니다."
        case .easyJapanese: "\(destination)に つきました。"
        }
    }

    private static let unnamedDestination: [RouteLanguage: String] = [
        .english: "the destination", .japanese: "目的地", .simplifiedChinese: "目的地", .korean: "목적지",
        .easyJapanese: "いきたい ところ",
    ]

    /// A flight of steps, named in place of the street.
    private static let stairs: [RouteLanguage: String] = [
        .english: "the steps", .japanese: "階段", .simplifiedChinese: "台阶", .korean: "계단", .easyJapanese: "かいだん",
    ]

    private static let unnamed: [RouteLanguage: String] = [
        .english: "the road", .japanese: "道", .simplifiedChinese: "道路", .korean: "길", .easyJapanese: "みち",
    ]

    private static let compass: [RouteLanguage: [String]] = [
        .english: ["north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"],
        .japanese: ["北", "北東", "東", "南東", "南", "南西", "西", "北西"],
        .simplifiedChinese: ["北", "东北", "东", "东南", "南", "西南", "西", "西北"],
        .korean: ["북", "북동", "동", "남동", "남", "남서", "서", "북서"],
        .easyJapanese: ["きた", "きたと ひがしの あいだ", "ひがし", "みなみと ひがしの あいだ", "みなみ", "みなみと にしの あいだ", "にし", "きたと にしの あいだ"],
    ]

    /// [slight, turn, sharp][left, right].
    private static let turns: [RouteLanguage: [[String]]] = [
        .english: [
            ["Bear left", "Bear right"], ["Turn left", "Turn right"], ["Turn sharp left", "Turn sharp right"],
        ],
        .japanese: [["やや左に進み", "やや右に進み"], ["左に曲がり", "右に曲がり"], ["左に大きく曲がり", "右に大きく曲がり"]],
        .simplifiedChinese: [["稍向左转", "稍向右转"], ["左转", "右转"], ["向左急转", "向右急转"]],
        .korean: [["약간 왼쪽으로 돌아", "약간 오른쪽으로 돌아"], ["왼쪽으로 돌아", "오른쪽으로 돌아"], ["크게 왼쪽으로 돌아", "크게 오른쪽으로 돌아"]],
        .easyJapanese: [
            ["すこし ひだりへ すすんで ください", "すこし みぎへ すすんで ください"], ["ひだりに まがって ください", "みぎに まがって ください"],
            ["うしろの ほうへ ひだりに まがって ください", "うしろの ほうへ みぎに まがって ください"],
        ],
    ]
}
