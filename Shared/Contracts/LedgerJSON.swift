/// The ledger's hot types as JSON written by hand, byte for byte what `JSONBody.encode` (sorted
/// keys, no escaped slashes) writes: a billing run's thousand charges and a bank's thousand
/// payments are each encoded once or twice more (as the request's recorded content, as the
/// payment's event), and Foundation's encoder cost more than the rules and the database together.
/// Each writer names its fields in sorted order, and leaves out what is nil, as the encoder does.

/// One JSON object's fields, written as they are named.
public struct JSONObjectWriter {
    fileprivate var bytes: [UInt8]
    private var empty = true

    private mutating func key(_ name: String) {
        bytes.append(empty ? UInt8(ascii: "{") : UInt8(ascii: ","))
        empty = false
        JSONValue.write(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        JSONValue.write(value, to: &bytes)
    }

    public mutating func field(_ name: String, _ value: Int) {
        key(name)
        bytes += String(value).utf8
    }

    /// A number as `JSONValue` writes it (whole ones without a fraction); nil is left out.
    public mutating func field(_ name: String, _ value: Double?) {
        guard let value else { return }
        key(name)
        JSONValue.number(value).write(to: &bytes)
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bytes += (value ? "true" : "false").utf8
    }

    /// A field whose value another writer puts down (an object, an array).
    public mutating func field(_ name: String, _ write: (inout [UInt8]) -> Void) {
        key(name)
        write(&bytes)
    }

    /// Writes an object to `bytes`: `{}` when `body` names no field.
    public static func object(to bytes: inout [UInt8], _ body: (inout JSONObjectWriter) -> Void) {
        var writer = JSONObjectWriter(bytes: bytes)
        bytes = []
        body(&writer)
        if writer.empty { writer.bytes.append(UInt8(ascii: "{")) }
        writer.bytes.append(UInt8(ascii: "}"))
        bytes = writer.bytes
    }

    /// Writes an array of `elements` to `bytes`, each by `write`.
    public static func array<T>(_ elements: [T], to bytes: inout [UInt8], _ write: (T, inout [UInt8]) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(element, &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}

extension Payment {
    public func writeJSON(to bytes: inout [UInt8]) {
        JSONObjectWriter.object(to: &bytes) { object in
            object.field("amount") { bytes in amount.writeJSON(to: &bytes) }
            object.field("billId", billId)
            object.field("channel", channel.rawValue)
            object.field("paymentId", paymentId)
            object.field("reference", reference)
            object.field("subscriptionNumber", subscriptionNumber)
            object.field("valueDate", valueDate)
        }
    }
}

extension Money {
    public func writeJSON(to bytes: inout [UInt8]) {
        JSONObjectWriter.object(to: &bytes) { object in
            object.field("amount", amount)
            object.field("currency", currency)
        }
    }
}

extension BillCharge {
    public func writeJSON(to bytes: inout [UInt8]) {
        JSONObjectWriter.object(to: &bytes) { object in
            object.field("billId", billId)
            object.field("currency", currency)
            object.field("dueDate", dueDate)
            object.field("issueDate", issueDate)
            object.field("lines") { bytes in LedgerLine.writeJSON(lines, to: &bytes) }
            object.field("subscriptionNumber", subscriptionNumber)
        }
    }
}

extension LedgerLine {
    public static func writeJSON(_ lines: [LedgerLine], to bytes: inout [UInt8]) {
        JSONObjectWriter.array(lines, to: &bytes) { line, bytes in
            JSONObjectWriter.object(to: &bytes) { object in
                object.field("account", line.account)
                object.field("amount", line.amount)
            }
        }
    }
}

extension PaymentReceived {
    public var json: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(320)
        JSONObjectWriter.object(to: &bytes) { object in
            object.field("credited", credited)
            object.field("customerNumber", customerNumber)
            object.field("payment") { bytes in payment.writeJSON(to: &bytes) }
            object.field("settled") { bytes in
                JSONObjectWriter.array(settled, to: &bytes) { settlement, bytes in
                    JSONObjectWriter.object(to: &bytes) { object in
                        object.field("amount", settlement.amount)
                        object.field("billId", settlement.billId)
                    }
                }
            }
        }
        return bytes
    }
}

extension BalanceChanged {
    /// A billing run's message changes a thousand balances: its event is written by hand too.
    public var json: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + balances.count * 200)
        JSONObjectWriter.object(to: &bytes) { object in
            object.field("asOf", asOf)
            object.field("balances") { bytes in
                JSONObjectWriter.array(balances, to: &bytes) { entry, bytes in
                    JSONObjectWriter.object(to: &bytes) { object in
                        object.field("balance") { bytes in
                            JSONObjectWriter.object(to: &bytes) { balance in
                                balance.field("credit", entry.balance.credit)
                                balance.field("currency", entry.balance.currency)
                                balance.field("deposit", entry.balance.deposit)
                                balance.field("due", entry.balance.due)
                                balance.field("held", entry.balance.held)
                                balance.field("overdue", entry.balance.overdue)
                            }
                        }
                        object.field("customerNumber", entry.customerNumber)
                        object.field("subscriptionNumber", entry.subscriptionNumber)
                    }
                }
            }
        }
        return bytes
    }
}
