/// The Tariff service's commands and events. Every change names who made it (the envelope's
/// actor) and why; the audit keeps both with the fees each version changed.

/// A new tariff, with its first version.
public struct CreateTariff: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "create-tariff"
    public static let kind = MessageKind.command
    public static let summary = "Create a tariff with its first version."
    public static let schema = JSONSchema.object(
        properties: ["tariff": .tariff, "firstVersion": .tariffVersion, "reason": .string(minLength: 1, maxLength: 500)],
        required: ["tariff", "firstVersion", "reason"])
    public static var example: CreateTariff { CreateTariff(tariff: .example, firstVersion: .example, reason: "Regulator's order 1405/112") }
    public var tariff: Tariff
    public var firstVersion: TariffVersion
    public var reason: String
    public init(tariff: Tariff, firstVersion: TariffVersion, reason: String) { (self.tariff, self.firstVersion, self.reason) = (tariff, firstVersion, reason) }
}

/// A new version of a tariff's fees, in force from its date until a later one's.
public struct PublishTariffVersion: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "publish-version"
    public static let kind = MessageKind.command
    public static let summary = "Publish a version of a tariff, effective from a date after its latest version's."
    public static let schema = JSONSchema.object(
        properties: ["tariffCode": .tariffCode, "version": .tariffVersion, "reason": .string(minLength: 1, maxLength: 500)],
        required: ["tariffCode", "version", "reason"])
    public static var example: PublishTariffVersion { PublishTariffVersion(tariffCode: "E-RES-1", version: .example, reason: "Annual fee review") }
    public var tariffCode: String
    public var version: TariffVersion
    public var reason: String
    public init(tariffCode: String, version: TariffVersion, reason: String) { (self.tariffCode, self.version, self.reason) = (tariffCode, version, reason) }
}

/// No subscription takes the tariff after `from`; periods up to the day before are still priced.
public struct RetireTariff: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "retire-tariff"
    public static let kind = MessageKind.command
    public static let summary = "Retire a tariff from a date: periods from then on are not priced by it."
    public static let schema = JSONSchema.object(
        properties: ["tariffCode": .tariffCode, "from": .string(format: .date), "reason": .string(minLength: 1, maxLength: 500)],
        required: ["tariffCode", "from", "reason"])
    public static var example: RetireTariff { RetireTariff(tariffCode: "E-RES-1", from: "2027-03-21", reason: "Replaced by E-RES-2") }
    public var tariffCode: String
    public var from: String
    public var reason: String
    public init(tariffCode: String, from: String, reason: String) { (self.tariffCode, self.from, self.reason) = (tariffCode, from, reason) }
}

public struct TariffCreated: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "tariff-created"
    public static let kind = MessageKind.event
    public static let summary = "A tariff was created with its first version."
    public static let schema = JSONSchema.object(
        properties: ["tariff": .tariff, "version": .tariffVersion, "actor": .string(), "reason": .string()], required: ["tariff", "version", "actor", "reason"])
    public static var example: TariffCreated { TariffCreated(tariff: .example, version: .example, actor: "user:tariff.manager", reason: "Regulator's order 1405/112") }
    public var tariff: Tariff
    public var version: TariffVersion
    public var actor: String
    public var reason: String
    public init(tariff: Tariff, version: TariffVersion, actor: String, reason: String) {
        (self.tariff, self.version, self.actor, self.reason) = (tariff, version, actor, reason)
    }
}

/// A version was published: the whole version, so Billing can price with the library and keep
/// its tariffs current, and the fees it changed from the version before.
public struct TariffVersionPublished: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "version-published"
    public static let kind = MessageKind.event
    public static let summary = "A tariff version was published, with the fees it changes from the version before."
    public static let schema = JSONSchema.object(
        properties: ["tariff": .tariff, "version": .tariffVersion, "changes": .feeChanges, "actor": .string(), "reason": .string()],
        required: ["tariff", "version", "changes", "actor", "reason"])
    public static var example: TariffVersionPublished {
        TariffVersionPublished(
            tariff: .example, version: .example, changes: [FeeChange(field: "energy.periods[0].tiers[2].price", before: "5900", after: "6400")],
            actor: "user:tariff.manager", reason: "Annual fee review")
    }
    public var tariff: Tariff
    public var version: TariffVersion
    public var changes: [FeeChange]
    public var actor: String
    public var reason: String
    public init(tariff: Tariff, version: TariffVersion, changes: [FeeChange], actor: String, reason: String) {
        (self.tariff, self.version, self.changes, self.actor, self.reason) = (tariff, version, changes, actor, reason)
    }
}

public struct TariffRetired: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "tariff-retired"
    public static let kind = MessageKind.event
    public static let summary = "A tariff was retired from a date."
    public static let schema = JSONSchema.object(
        properties: ["tariffCode": .tariffCode, "from": .string(format: .date), "actor": .string(), "reason": .string()],
        required: ["tariffCode", "from", "actor", "reason"])
    public static var example: TariffRetired { TariffRetired(tariffCode: "E-RES-1", from: "2027-03-21", actor: "user:tariff.manager", reason: "Replaced by E-RES-2") }
    public var tariffCode: String
    public var from: String
    public var actor: String
    public var reason: String
    public init(tariffCode: String, from: String, actor: String, reason: String) { (self.tariffCode, self.from, self.actor, self.reason) = (tariffCode, from, actor, reason) }
}

/// A tariff command the service refused, each field named; its causation id is the command's.
public struct TariffCommandRefused: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "command-refused"
    public static let kind = MessageKind.event
    public static let summary = "A tariff command was refused; its message id is the causation id, and each field is named with the reason."
    public static let schema = CommandRefused.schema
    public static var example: TariffCommandRefused {
        TariffCommandRefused(command: PublishTariffVersion.type, problems: [FieldProblem("version.effectiveFrom", "must be after 2026-03-21, the latest version's")])
    }
    public var command: String
    public var problems: [FieldProblem]
    public init(command: String, problems: [FieldProblem]) { (self.command, self.problems) = (command, problems) }
}
