import Contracts
import Foundation
import Ledger
import Messaging
import Postgres

/// The ledger's commands, a batch of messages in one transaction as TigerBeetle takes a batch of
/// transfers: every request of every message decoded, the accounts they touch locked at once,
/// each request recorded or refused on its own by the rules, and everything stored together.
/// A message sent again is skipped by the inbox; a request sent again in another message is
/// already recorded.
struct LedgerCommands: MessageHandler {
    /// The BPMN error a process catches when the ledger refuses a step of it.
    static let refusedCode = "LEDGER_REFUSED"

    static let commands: [String: @Sendable (InboundMessage, JSONValue?) throws -> [(LedgerRequest, String)]] = [
        OpenAccount.routingKey: { message, body in [(.openAccount(try decode(OpenAccount.self, message, body)), "")] },
        OpenSubscriptionAccounts.routingKey: { message, body in [(.openSubscription(try decode(OpenSubscriptionAccounts.self, message, body)), "")] },
        PostBillCharges.routingKey: { message, body in
            let charges = try decode(PostBillCharges.self, message, body).charges
            guard charges.count <= PostBillCharges.maximumCharges else {
                throw MessageRejected(field: "charges", "at most \(PostBillCharges.maximumCharges) a message; there are \(charges.count)")
            }
            return charges.enumerated().map { (.charge($1), "charges[\($0)].") }
        },
        RecordPayments.routingKey: { message, body in
            let payments = try decode(RecordPayments.self, message, body).payments
            guard payments.count <= RecordPayments.maximumPayments else {
                throw MessageRejected(field: "payments", "at most \(RecordPayments.maximumPayments) a message; there are \(payments.count)")
            }
            return payments.enumerated().map { (.payment($1), "payments[\($0)].") }
        },
        TakeDeposit.routingKey: { message, body in [(.deposit(try decode(TakeDeposit.self, message, body)), "")] },
        ReturnDeposit.routingKey: { message, body in [(.depositReturn(try decode(ReturnDeposit.self, message, body)), "")] },
        RefundCredit.routingKey: { message, body in [(.refund(try decode(RefundCredit.self, message, body)), "")] },
        Adjust.routingKey: { message, body in [(.adjustment(try decode(Adjust.self, message, body)), "")] },
        OpenDispute.routingKey: { message, body in [(.openDispute(try decode(OpenDispute.self, message, body)), "")] },
        ResolveDispute.routingKey: { message, body in [(.resolveDispute(try decode(ResolveDispute.self, message, body)), "")] },
        WriteOff.routingKey: { message, body in [(.writeOff(try decode(WriteOff.self, message, body)), "")] },
        ReverseEntry.routingKey: { message, body in [(.reversal(try decode(ReverseEntry.self, message, body)), "")] },
    ]

    /// One message's requests (with the path of each in the message) and the job it is, if one;
    /// a job whose variables do not make its command is answered with why, not dead-lettered.
    struct Parsed {
        var message: InboundMessage
        var requests: [(request: LedgerRequest, path: String)]
        var job: WorkerJob?
        var malformed: [FieldProblem] = []
    }

    let events: LedgerEvents

    func handle(_ messages: [InboundMessage], context: MessageContext) async throws {
        let parsed = try messages.map(parse)
        var book = try await LedgerStore.load(parsed.flatMap { $0.requests.map(\.request) }, on: context.database)
        let today = LedgerDate.day(LedgerDate.today) ?? 0
        var actors: [String: String] = [:]
        for message in parsed {
            let actor = message.job.map { "process:\($0.processId)" } ?? message.message.envelope.actor ?? "unknown"
            let journalBefore = book.changes.journal.count
            let factsBefore = book.changes.facts.count
            var problems = message.malformed
            for (request, path) in message.requests {
                switch book.record(request) {
                case .recorded: actors[request.key] = actor
                case .alreadyRecorded: break
                case .refused(let refused):
                    let named = refused.map { FieldProblem(message.job == nil ? "\(path)\($0.field)" : "variables.\($0.field)", $0.message) }
                    problems += named
                    context.send(try .contract(
                        LedgerCommandRefused(command: message.message.envelope.type, request: request.key, problems: named), causedBy: message.message))
                }
            }
            let newEntries = book.changes.journal[journalBefore...]
            let touched = Set(newEntries.compactMap(\.subscriptionNumber)).sorted()
            for outgoing in try events.messages(for: Array(book.changes.facts[factsBefore...]), touched: touched, book: book, today: today, cause: message.message) {
                context.send(outgoing)
            }
            if let job = message.job {
                if problems.isEmpty {
                    context.send(try .contract(CompleteJob(jobId: job.jobId, variables: ["ledgerEntries": .array(newEntries.map { .string($0.id) })]), causedBy: message.message))
                } else {
                    context.send(try .contract(
                        ThrowError(jobId: job.jobId, code: Self.refusedCode, message: problems.map(\.description).joined(separator: "; ")), causedBy: message.message))
                }
            }
        }
        try await LedgerStore.save(book, actors: actors, on: context.database)
    }

    /// The commands a process's service task may send as its job.
    static let jobTypes: Set<String> = [OpenDispute.routingKey, ResolveDispute.routingKey, Adjust.routingKey, WriteOff.routingKey]

    /// The requests of a command, an event the ledger follows, or a process's job.
    func parse(_ message: InboundMessage) throws -> Parsed {
        let routingKey = message.envelope.type.split(separator: ".").prefix(2).joined(separator: ".")
        // Looking for a job in a thousand payments' body cost more than recording them.
        if Self.jobTypes.contains(routingKey), let job = message.workerJob {
            guard let command = Self.commands[job.type] else { throw MessageRejected(field: "type", "the ledger does no job of type \(job.type)") }
            var variables = job.variables
            // One dispute per process instance: its id is the dispute's unless the process names one.
            if variables["disputeId"] == nil || variables["disputeId"] == .null { variables["disputeId"] = .string("DSP-\(job.instanceId)") }
            do {
                return Parsed(message: message, requests: try command(message, .object(variables)).map { ($0.0, $0.1) }, job: job)
            } catch let rejected as MessageRejected {
                return Parsed(message: message, requests: [], job: job, malformed: [FieldProblem(rejected.field ?? "variables", rejected.reason)])
            }
        }
        if let command = Self.commands[routingKey], message.envelope.type == "\(routingKey).v1" {
            return Parsed(message: message, requests: try command(message, nil).map { ($0.0, $0.1) }, job: nil)
        }
        if let requests = try events.requests(for: message) { return Parsed(message: message, requests: requests.map { ($0, "") }, job: nil) }
        throw MessageRejected(field: "type", "the ledger takes no \(message.envelope.type)")
    }

    /// A command from the message's body, or from a job's variables.
    static func decode<T: Decodable>(_ type: T.Type, _ message: InboundMessage, _ variables: JSONValue?) throws(MessageRejected) -> T {
        guard let variables else { return try message.decode(T.self) }
        return try variables.decodeVariables(T.self)
    }

}
