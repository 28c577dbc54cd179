import Foundation

/// Asks one replica of a service who it is and how it is doing: `utilis ping SERVICE`.
/// Every service answers it; operators use it to check the path through the broker.
public struct Ping: QueryContract, Equatable {
    public typealias Reply = Pong
    public static let service = "{service}"
    public static let name = "ping"
    public static let kind = MessageKind.query
    public static let summary = "Asks a replica of the service for its identity and state."
    public static let schema = JSONSchema.object(properties: [:], required: [])
    public static var example: Ping { Ping() }
    public init() {}
}

/// A service replica's answer to `Ping`.
public struct Pong: MessageContract, Equatable {
    public static let service = "{service}"
    public static let name = "pong"
    public static let kind = MessageKind.event
    public static let summary = "Identity and state of the replica that answered a ping."
    public static let schema = JSONSchema.object(
        properties: [
            "service": .string(minLength: 1), "instance": .string(minLength: 1), "version": .string(),
            "startedAt": .string(format: .dateTime), "database": .enumeration(["ok", "unavailable"]),
        ], required: ["service", "instance", "version", "startedAt", "database"])
    public static var example: Pong {
        Pong(service: "registration", instance: "host-1:4242", version: "0.1.0", startedAt: "2026-12-01T08:00:00Z", database: "ok")
    }

    public var service: String
    public var instance: String
    public var version: String
    public var startedAt: String
    public var database: String

    public init(service: String, instance: String, version: String, startedAt: String, database: String) {
        self.service = service
        self.instance = instance
        self.version = version
        self.startedAt = startedAt
        self.database = database
    }
}
