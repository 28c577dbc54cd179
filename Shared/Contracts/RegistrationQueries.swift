/// Customers by name, national id or company number, customer number, subscription number,
/// meter serial, phone or address (theirs or their premises'); the best matches first, a page
/// at a time.
public struct FindCustomers: QueryContract, Equatable {
    public typealias Reply = CustomerList
    public static let service = "registration"
    public static let name = "find-customers"
    public static let kind = MessageKind.query
    public static let summary = "Customers whose name, identifier, number, subscription, meter serial, phone or address matches the text."
    public static let schema = JSONSchema.object(
        properties: [
            "text": .string(minLength: 2, maxLength: 100), "limit": .nullable(.integer(minimum: 1, maximum: 100)),
            "offset": .nullable(.integer(minimum: 0, maximum: 1000)),
        ], required: ["text"])
    public static var example: FindCustomers { FindCustomers(text: "rezaei", limit: 20, offset: 40) }
    public var text: String
    /// A page's size (20 when left out).
    public var limit: Int?
    /// The matches to skip: the page's start.
    public var offset: Int?
    public init(text: String, limit: Int?, offset: Int? = nil) { (self.text, self.limit, self.offset) = (text, limit, offset) }
}

/// The answer to `FindCustomers`.
public struct CustomerList: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "customer-list"
    public static let kind = MessageKind.event
    public static let summary = "Customers found."
    public struct Entry: Codable, Sendable, Equatable {
        public var customerNumber: String
        public var kind: String
        public var name: String
        public var identifier: String
        public var city: String
        public init(customerNumber: String, kind: String, name: String, identifier: String, city: String) {
            (self.customerNumber, self.kind, self.name, self.identifier, self.city) = (customerNumber, kind, name, identifier, city)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "customers": .array(.object(
                properties: ["customerNumber": .string(), "kind": .enumeration(["person", "organisation"]), "name": .string(), "identifier": .string(), "city": .string()],
                required: ["customerNumber", "kind", "name", "identifier", "city"]))
        ], required: ["customers"])
    public static var example: CustomerList {
        CustomerList(customers: [Entry(customerNumber: "C-00000421-7", kind: "person", name: "Hassan Rezaei", identifier: "0012345678", city: "Tehran")])
    }
    public var customers: [Entry]
    public init(customers: [Entry]) { self.customers = customers }
}

/// One customer's whole record.
public struct GetCustomer: QueryContract, Equatable {
    public typealias Reply = CustomerRecord
    public static let service = "registration"
    public static let name = "get-customer"
    public static let kind = MessageKind.query
    public static let summary = "A customer's details and the history of every change to them."
    public static let schema = JSONSchema.object(properties: ["customerNumber": .string(pattern: "^C-[0-9]{8}-[0-9]$")], required: ["customerNumber"])
    public static var example: GetCustomer { GetCustomer(customerNumber: "C-00000421-7") }
    public var customerNumber: String
    public init(customerNumber: String) { self.customerNumber = customerNumber }
}

/// The answer to `GetCustomer`: the customer's whole picture.
public struct CustomerRecord: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "customer-record"
    public static let kind = MessageKind.event
    public static let summary = "A customer's details with the history of their changes, their subscriptions, requested connections and installation history."
    public struct Change: Codable, Sendable, Equatable {
        /// `registered` or `updated`.
        public var change: String
        public var actor: String
        public var at: String
        /// The details as they were after the change.
        public var customer: CustomerDetails
        public init(change: String, actor: String, at: String, customer: CustomerDetails) {
            (self.change, self.actor, self.at, self.customer) = (change, actor, at, customer)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "customerNumber": .string(), "customer": .customerDetails, "registeredAt": .string(format: .dateTime),
            "history": .array(.object(
                properties: ["change": .enumeration(["registered", "updated"]), "actor": .string(), "at": .string(format: .dateTime), "customer": .customerDetails],
                required: ["change", "actor", "at", "customer"])),
            "subscriptions": .array(SubscriptionView.schema), "connections": .array(ServicePointView.schema), "installations": .array(InstallationChange.schema),
        ], required: ["customerNumber", "customer", "registeredAt", "history", "subscriptions", "connections", "installations"])
    public static var example: CustomerRecord {
        CustomerRecord(
            customerNumber: "C-00000421-7", customer: .example, registeredAt: "2026-12-01T09:00:00Z",
            history: [Change(change: "registered", actor: "user:maryam", at: "2026-12-01T09:00:00Z", customer: .example)],
            subscriptions: [.example], connections: [], installations: [.example])
    }
    public var customerNumber: String
    public var customer: CustomerDetails
    public var registeredAt: String
    public var history: [Change]
    public var subscriptions: [SubscriptionView]
    /// Service points the customer asked for that no subscription of theirs covers yet.
    public var connections: [ServicePointView]
    /// Every change to the customer's installations, oldest first.
    public var installations: [InstallationChange]
    public init(
        customerNumber: String, customer: CustomerDetails, registeredAt: String, history: [Change], subscriptions: [SubscriptionView],
        connections: [ServicePointView], installations: [InstallationChange]
    ) {
        (self.customerNumber, self.customer, self.registeredAt, self.history) = (customerNumber, customer, registeredAt, history)
        (self.subscriptions, self.connections, self.installations) = (subscriptions, connections, installations)
    }
}
