/// The ledger's hot types as JSON written by hand, byte for byte what `JSONBody.encode` (sorted
/// keys, no escaped slashes) writes: a billing run's thousand charges and a bank's thousand
/// payments are each encoded once or twice more (as the request's recorded content, as the
/// payment's event), and Foundation's encoder cost more than the rules and the database together.
extension JSONValue {
    static func write(_ number: Int, to bytes: inout [UInt8]) { bytes += String(number).utf8 }
}

extension Payment {
    public func writeJSON(to bytes: inout [UInt8]) {
        bytes += #"{"amount":{"amount":"#.utf8
        JSONValue.write(amount.amount, to: &bytes)
        bytes += #","currency":"#.utf8
        JSONValue.write(amount.currency, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        if let billId {
            bytes += #","billId":"#.utf8
            JSONValue.write(billId, to: &bytes)
        }
        bytes += #","channel":"#.utf8
        JSONValue.write(channel.rawValue, to: &bytes)
        bytes += #","paymentId":"#.utf8
        JSONValue.write(paymentId, to: &bytes)
        bytes += #","reference":"#.utf8
        JSONValue.write(reference, to: &bytes)
        bytes += #","subscriptionNumber":"#.utf8
        JSONValue.write(subscriptionNumber, to: &bytes)
        bytes += #","valueDate":"#.utf8
        JSONValue.write(valueDate, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}

extension BillCharge {
    public func writeJSON(to bytes: inout [UInt8]) {
        bytes += #"{"billId":"#.utf8
        JSONValue.write(billId, to: &bytes)
        bytes += #","currency":"#.utf8
        JSONValue.write(currency, to: &bytes)
        bytes += #","dueDate":"#.utf8
        JSONValue.write(dueDate, to: &bytes)
        bytes += #","issueDate":"#.utf8
        JSONValue.write(issueDate, to: &bytes)
        bytes += #","lines":"#.utf8
        LedgerLine.writeJSON(lines, to: &bytes)
        bytes += #","subscriptionNumber":"#.utf8
        JSONValue.write(subscriptionNumber, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}

extension LedgerLine {
    public static func writeJSON(_ lines: [LedgerLine], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        for (index, line) in lines.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += #"{"account":"#.utf8
            JSONValue.write(line.account, to: &bytes)
            bytes += #","amount":"#.utf8
            JSONValue.write(line.amount, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
    }
}

extension PaymentReceived {
    public var json: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(320)
        bytes += #"{"credited":"#.utf8
        JSONValue.write(credited, to: &bytes)
        if let customerNumber {
            bytes += #","customerNumber":"#.utf8
            JSONValue.write(customerNumber, to: &bytes)
        }
        bytes += #","payment":"#.utf8
        payment.writeJSON(to: &bytes)
        bytes += #","settled":["#.utf8
        for (index, settlement) in settled.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += #"{"amount":"#.utf8
            JSONValue.write(settlement.amount, to: &bytes)
            bytes += #","billId":"#.utf8
            JSONValue.write(settlement.billId, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes += "]}".utf8
        return bytes
    }
}

extension BalanceChanged {
    /// A billing run's message changes a thousand balances: its event is written by hand too.
    public var json: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + balances.count * 200)
        bytes += #"{"asOf":"#.utf8
        JSONValue.write(asOf, to: &bytes)
        bytes += #","balances":["#.utf8
        for (index, entry) in balances.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            let balance = entry.balance
            bytes += #"{"balance":{"credit":"#.utf8
            JSONValue.write(balance.credit, to: &bytes)
            bytes += #","currency":"#.utf8
            JSONValue.write(balance.currency, to: &bytes)
            bytes += #","deposit":"#.utf8
            JSONValue.write(balance.deposit, to: &bytes)
            bytes += #","due":"#.utf8
            JSONValue.write(balance.due, to: &bytes)
            bytes += #","held":"#.utf8
            JSONValue.write(balance.held, to: &bytes)
            bytes += #","overdue":"#.utf8
            JSONValue.write(balance.overdue, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
            if let customerNumber = entry.customerNumber {
                bytes += #","customerNumber":"#.utf8
                JSONValue.write(customerNumber, to: &bytes)
            }
            bytes += #","subscriptionNumber":"#.utf8
            JSONValue.write(entry.subscriptionNumber, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes += "]}".utf8
        return bytes
    }
}
