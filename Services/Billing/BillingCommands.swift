import Billing
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit

/// Billing's commands, each message in the runtime's transaction: readings in, runs started and
/// their chunks billed, bills cancelled and billed again, flagged readings decided. A command
/// that cannot be done is answered with `billing.command-refused`, field by field; a body that
/// is not the command it says it is goes to the dead-letter queue.
struct BillingCommands: MessageHandler {
    static let names = [
        RecordReadings.name, RecordIntervals.name, CorrectReading.name, StartBillingRun.name, BillChunk.name, CancelBill.name,
        ReadingReview.name,
    ]
    /// The BPMN error a review process catches when its decision cannot be applied.
    static let refusedCode = "BILLING_REFUSED"
    /// Subscriptions in a run's chunk.
    static let chunkSize = Int(ProcessInfo.processInfo.environment["UTILIS_BILLING_CHUNK"] ?? "") ?? 500

    let making: BillMaking
    let logger: Logger

    init(environment: ServiceEnvironment) {
        making = BillMaking(tariffs: TariffBook(requests: environment.requests), requests: environment.requests)
        logger = environment.logger
    }

    func handle(_ messages: [InboundMessage], context: MessageContext) async throws {
        for message in messages {
            do {
                try await handle(message, context: context)
            } catch let refused as BillingRefused {
                context.send(try .contract(
                    BillingCommandRefused(command: message.envelope.type, problems: [FieldProblem(refused.field, refused.message)]), causedBy: message))
            }
        }
    }

    func handle(_ message: InboundMessage, context: MessageContext) async throws {
        if message.envelope.type == ReadingReview.type, let job = message.workerJob {
            return try await ReadingReviews.apply(job, message: message, context: context)
        }
        switch message.envelope.type {
        case RecordReadings.type:
            let command = try message.decode(RecordReadings.self)
            guard command.readings.count <= RecordReadings.maximumReadings else {
                throw MessageRejected(field: "readings", "at most \(RecordReadings.maximumReadings) a message; there are \(command.readings.count)")
            }
            var refused: [FieldProblem] = []
            var incoming: [ReadingBook.Incoming] = []
            for (index, reading) in command.readings.enumerated() {
                guard let moment = BillingDay.moment(reading.readAt) else {
                    refused.append(FieldProblem("readings[\(index)].readAt", "\"\(reading.readAt)\" is not an ISO 8601 UTC date-time"))
                    continue
                }
                incoming.append(.init(reading: reading, moment: moment, path: "readings[\(index)].", trusted: false))
            }
            var outcome = try await ReadingBook.record(incoming, cause: message, on: context.database)
            outcome.refused = refused + outcome.refused
            for review in outcome.reviews { context.send(review) }
            context.send(try .contract(
                ReadingsChecked(stored: outcome.stored, duplicates: outcome.duplicates, flagged: outcome.flagged, refused: outcome.refused), causedBy: message))
        case RecordIntervals.type:
            try await ReadingReviews.recordIntervals(try message.decode(RecordIntervals.self), message: message, context: context)
        case CorrectReading.type:
            let command = try message.decode(CorrectReading.self)
            _ = try await ReadingReviews.correct(command.readingId, index: command.index, note: "corrected: \(command.reason)", on: context.database)
        case StartBillingRun.type:
            try await BillingRuns.start(try message.decode(StartBillingRun.self), message: message, context: context)
        case BillChunk.type:
            try await BillingRuns.bill(try message.decode(BillChunk.self), making: making, message: message, context: context)
        case ReadingReview.type:
            _ = try await ReadingReviews.apply(try message.decode(ReadingReview.self), on: context.database)
        case CancelBill.type:
            try await BillCancelling.cancel(try message.decode(CancelBill.self), making: making, message: message, context: context)
        default:
            throw MessageRejected(field: "type", "billing takes no \(message.envelope.type)")
        }
    }
}
