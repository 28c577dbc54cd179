/// What the utility knows of a customer, as a clerk or another system sends it. `Shared/Registry`
/// checks it field by field before anything is stored.
public struct CustomerDetails: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case person, organisation }

    public var kind: Kind
    /// A person's national id (unique).
    public var nationalId: String?
    /// An organisation's company registration number (unique).
    public var companyRegistrationNumber: String?
    public var firstName: String?
    public var lastName: String?
    public var organisationName: String?
    public var phones: [String]
    public var email: String?
    public var address: PostalAddress
    /// A BCP 47 language tag: `fa`, `en`, `ar-IQ`.
    public var preferredLanguage: String

    public init(
        kind: Kind, nationalId: String? = nil, companyRegistrationNumber: String? = nil, firstName: String? = nil, lastName: String? = nil,
        organisationName: String? = nil, phones: [String], email: String? = nil, address: PostalAddress, preferredLanguage: String
    ) {
        self.kind = kind
        self.nationalId = nationalId
        self.companyRegistrationNumber = companyRegistrationNumber
        self.firstName = firstName
        self.lastName = lastName
        self.organisationName = organisationName
        self.phones = phones
        self.email = email
        self.address = address
        self.preferredLanguage = preferredLanguage
    }

    /// The name a clerk searches and letters are addressed to.
    public var displayName: String {
        switch kind {
        case .person: [firstName, lastName].compactMap { $0 }.joined(separator: " ")
        case .organisation: organisationName ?? ""
        }
    }

    /// The one identifier that must be unique for this kind of customer.
    public var identifier: (field: String, value: String)? {
        switch kind {
        case .person: nationalId.map { ("nationalId", $0) }
        case .organisation: companyRegistrationNumber.map { ("companyRegistrationNumber", $0) }
        }
    }
}

public struct PostalAddress: Sendable, Hashable, Codable {
    public var line1: String
    public var line2: String?
    public var city: String
    public var postcode: String?
    /// ISO 3166-1 alpha-2.
    public var country: String

    public init(line1: String, line2: String? = nil, city: String, postcode: String? = nil, country: String) {
        (self.line1, self.line2, self.city, self.postcode, self.country) = (line1, line2, city, postcode, country)
    }
}


extension JSONSchema {
    static let postalAddress = JSONSchema.object(
        properties: [
            "line1": .string(minLength: 1, maxLength: 200), "line2": .nullable(.string(maxLength: 200)), "city": .string(minLength: 1, maxLength: 100),
            "postcode": .nullable(.string(maxLength: 20)), "country": .string(pattern: "^[A-Z]{2}$"),
        ], required: ["line1", "city", "country"])

    static let customerDetails = JSONSchema.object(
        properties: [
            "kind": .enumeration(["person", "organisation"]), "nationalId": .nullable(.string()), "companyRegistrationNumber": .nullable(.string()),
            "firstName": .nullable(.string()), "lastName": .nullable(.string()), "organisationName": .nullable(.string()),
            "phones": .array(.string()), "email": .nullable(.string()), "address": .postalAddress, "preferredLanguage": .string(minLength: 2),
        ], required: ["kind", "phones", "address", "preferredLanguage"])
}

extension CustomerDetails {
    public static var example: CustomerDetails {
        CustomerDetails(
            kind: .person, nationalId: "0012345678", firstName: "Hassan", lastName: "Rezaei", phones: ["+98 21 5555 1234"], email: "h.rezaei@example.ir",
            address: PostalAddress(line1: "12 Valiasr Street", city: "Tehran", postcode: "1416753955", country: "IR"), preferredLanguage: "fa")
    }
}

/// Registers a customer: a person by national id, an organisation by company registration
/// number, each at most once.
public struct RegisterCustomer: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "register-customer"
    public static let kind = MessageKind.command
    public static let summary = "Registers a customer; answered by customer-registered, or command-refused naming each field that does not fit."
    public static let schema = JSONSchema.object(properties: ["customer": .customerDetails], required: ["customer"])
    public static var example: RegisterCustomer { RegisterCustomer(customer: .example) }
    public var customer: CustomerDetails
    public init(customer: CustomerDetails) { self.customer = customer }
}

/// Changes a customer's details; the identifier (national id, company number) and kind stay.
public struct UpdateCustomer: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "update-customer"
    public static let kind = MessageKind.command
    public static let summary = "Replaces a customer's details (not their kind or identifier); the earlier ones stay in the history."
    public static let schema = JSONSchema.object(
        properties: ["customerNumber": .string(pattern: "^C-[0-9]{8}-[0-9]$"), "customer": .customerDetails], required: ["customerNumber", "customer"])
    public static var example: UpdateCustomer { UpdateCustomer(customerNumber: "C-00000421-7", customer: .example) }
    public var customerNumber: String
    public var customer: CustomerDetails
    public init(customerNumber: String, customer: CustomerDetails) { (self.customerNumber, self.customer) = (customerNumber, customer) }
}

/// A customer is registered, with the number the utility knows them by.
public struct CustomerRegistered: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "customer-registered"
    public static let kind = MessageKind.event
    public static let summary = "A customer is registered, with their customer number."
    public static let schema = JSONSchema.object(
        properties: ["customerNumber": .string(pattern: "^C-[0-9]{8}-[0-9]$"), "customer": .customerDetails, "registeredAt": .string(format: .dateTime)],
        required: ["customerNumber", "customer", "registeredAt"])
    public static var example: CustomerRegistered { CustomerRegistered(customerNumber: "C-00000421-7", customer: .example, registeredAt: "2026-12-01T09:00:00Z") }
    public var customerNumber: String
    public var customer: CustomerDetails
    public var registeredAt: String
    public init(customerNumber: String, customer: CustomerDetails, registeredAt: String) {
        (self.customerNumber, self.customer, self.registeredAt) = (customerNumber, customer, registeredAt)
    }
}

/// A customer's details changed.
public struct CustomerUpdated: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "customer-updated"
    public static let kind = MessageKind.event
    public static let summary = "A customer's details changed; the event carries them whole."
    public static let schema = JSONSchema.object(
        properties: ["customerNumber": .string(pattern: "^C-[0-9]{8}-[0-9]$"), "customer": .customerDetails, "updatedAt": .string(format: .dateTime)],
        required: ["customerNumber", "customer", "updatedAt"])
    public static var example: CustomerUpdated { CustomerUpdated(customerNumber: "C-00000421-7", customer: .example, updatedAt: "2026-12-01T09:00:00Z") }
    public var customerNumber: String
    public var customer: CustomerDetails
    public var updatedAt: String
    public init(customerNumber: String, customer: CustomerDetails, updatedAt: String) {
        (self.customerNumber, self.customer, self.updatedAt) = (customerNumber, customer, updatedAt)
    }
}

/// A well-formed command of Registration's that the record refuses: each field that does not
/// fit (a duplicate national id, a phone that is not one), so the sender can correct it.
public struct CommandRefused: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "command-refused"
    public static let kind = MessageKind.event
    public static let summary = "A command was refused; its message id is the causation id, and each field is named with the reason."
    public static let schema = JSONSchema.object(
        properties: [
            "command": .string(minLength: 1),
            "problems": .array(.object(properties: ["field": .string(), "message": .string()], required: ["field", "message"])),
        ], required: ["command", "problems"])
    public static var example: CommandRefused {
        CommandRefused(command: "registration.register-customer.v1", problems: [FieldProblem("nationalId", "is already registered, as C-00000421-7")])
    }
    public var command: String
    public var problems: [FieldProblem]
    public init(command: String, problems: [FieldProblem]) { (self.command, self.problems) = (command, problems) }
}
