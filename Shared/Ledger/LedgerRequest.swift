import Contracts
import Foundation

/// One thing the ledger is asked to record, under the client's id. A message may carry many
/// (a billing run's charges); each is recorded or refused on its own.
public enum LedgerRequest: Sendable, Equatable {
    case openAccount(OpenAccount)
    case openSubscription(OpenSubscriptionAccounts)
    case charge(BillCharge)
    case payment(Payment)
    case deposit(TakeDeposit)
    case depositReturn(ReturnDeposit)
    case refund(RefundCredit)
    case adjustment(Adjust)
    case openDispute(OpenDispute)
    case resolveDispute(ResolveDispute)
    case writeOff(WriteOff)
    case reversal(ReverseEntry)

    /// The id it is recorded under, which is also its first entry's id.
    public var key: String {
        switch self {
        case .openAccount(let command): "account:\(command.code)"
        case .openSubscription(let command): "subscription:\(command.subscriptionNumber)"
        case .charge(let charge): "bill:\(charge.billId)"
        case .payment(let payment): "payment:\(payment.paymentId)"
        case .deposit(let command): "deposit:\(command.depositId)"
        case .depositReturn(let command): "deposit-return:\(command.returnId)"
        case .refund(let command): "refund:\(command.refundId)"
        case .adjustment(let command): "adjustment:\(command.adjustmentId)"
        case .openDispute(let command): "dispute:\(command.disputeId)"
        case .resolveDispute(let command): "dispute:\(command.disputeId)/resolution"
        case .writeOff(let command): "write-off:\(command.writeOffId)"
        case .reversal(let command): "reversal:\(command.reversalId)"
        }
    }

    /// The field that carries the client's id, for a refusal's sake.
    public var idField: String {
        switch self {
        case .openAccount: "code"
        case .openSubscription: "subscriptionNumber"
        case .charge: "billId"
        case .payment: "paymentId"
        case .deposit: "depositId"
        case .depositReturn: "returnId"
        case .refund: "refundId"
        case .adjustment: "adjustmentId"
        case .openDispute, .resolveDispute: "disputeId"
        case .writeOff: "writeOffId"
        case .reversal: "reversalId"
        }
    }

    /// The subscription it is about, if one.
    public var subscriptionNumber: String? {
        switch self {
        case .openAccount, .resolveDispute, .reversal: nil
        case .openSubscription(let command): command.subscriptionNumber
        case .charge(let charge): charge.subscriptionNumber
        case .payment(let payment): payment.subscriptionNumber
        case .deposit(let command): command.subscriptionNumber
        case .depositReturn(let command): command.subscriptionNumber
        case .refund(let command): command.subscriptionNumber
        case .adjustment(let command): command.subscriptionNumber
        case .openDispute(let command): command.subscriptionNumber
        case .writeOff(let command): command.subscriptionNumber
        }
    }

    /// Its content as the client sent it, in one canonical JSON form: the same id with other
    /// content is refused.
    public var content: String {
        var bytes: [UInt8] = []
        switch self {
        case .charge(let charge):
            charge.writeJSON(to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        case .payment(let payment):
            payment.writeJSON(to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        default: break
        }
        let data: [UInt8]?
        switch self {
        case .openAccount(let command): data = try? JSONBody.encode(command)
        case .openSubscription(let command): data = try? JSONBody.encode(command)
        case .charge(let charge): data = try? JSONBody.encode(charge)
        case .payment(let payment): data = try? JSONBody.encode(payment)
        case .deposit(let command): data = try? JSONBody.encode(command)
        case .depositReturn(let command): data = try? JSONBody.encode(command)
        case .refund(let command): data = try? JSONBody.encode(command)
        case .adjustment(let command): data = try? JSONBody.encode(command)
        case .openDispute(let command): data = try? JSONBody.encode(command)
        case .resolveDispute(let command): data = try? JSONBody.encode(command)
        case .writeOff(let command): data = try? JSONBody.encode(command)
        case .reversal(let command): data = try? JSONBody.encode(command)
        }
        return String(decoding: data ?? [], as: UTF8.self)
    }
}

/// What became of a request.
public enum LedgerOutcome: Sendable, Hashable {
    /// Recorded now, with the entries it made.
    case recorded([JournalEntry])
    /// The same id with the same content was recorded before: nothing more is done.
    case alreadyRecorded
    case refused([FieldProblem])
}
