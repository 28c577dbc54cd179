/// Billing's hot types as JSON written by hand, as `LedgerJSON.swift` does for the ledger's: a
/// run stores a document for each of a million bills and tells each in an event, and
/// Foundation's encoder cost more than pricing and storing them. Fields in sorted order, nil
/// left out; `JSONDecoder` reads them back (a test holds them to that).

extension Bill {
    public var json: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2_048)
        JSONObjectWriter.object(to: &bytes) { object in
            object.field("amountDue", amountDue)
            object.field("billId", billId)
            object.field("billingCycle", billingCycle)
            object.field("cancelReason", cancelReason)
            object.field("carried") { bytes in
                JSONObjectWriter.object(to: &bytes) { carried in
                    carried.field("adjustmentsSince", self.carried.adjustmentsSince)
                    carried.field("balance", self.carried.balance)
                    carried.field("paymentsSince", self.carried.paymentsSince)
                    carried.field("previousDue", self.carried.previousDue)
                }
            }
            object.field("consumption") { bytes in Self.write(consumption, to: &bytes) }
            object.field("customerNumber", customerNumber)
            object.field("dueDate", dueDate)
            object.field("estimated", estimated)
            object.field("from", from)
            object.field("issueDate", issueDate)
            object.field("kind", kind.rawValue)
            object.field("message", message)
            object.field("quote") { bytes in quote.writeJSON(to: &bytes) }
            object.field("region", region)
            object.field("registers") { bytes in
                JSONObjectWriter.array(registers, to: &bytes) { register, bytes in
                    JSONObjectWriter.object(to: &bytes) { object in
                        object.field("closing") { bytes in register.closing.writeJSON(to: &bytes) }
                        object.field("consumption", register.consumption)
                        object.field("manufacturer", register.manufacturer)
                        object.field("multiplier", register.multiplier)
                        object.field("opening") { bytes in register.opening.writeJSON(to: &bytes) }
                        object.field("register", register.register)
                        object.field("serialNumber", register.serialNumber)
                    }
                }
            }
            object.field("replaces", replaces)
            object.field("runId", runId)
            object.field("servicePointNumber", servicePointNumber)
            object.field("status", status.rawValue)
            object.field("subscriptionNumber", subscriptionNumber)
            object.field("to", to)
            object.field("useType", useType.rawValue)
            object.field("utility", utility.rawValue)
        }
        return bytes
    }

    /// Consumption by register, keys sorted.
    static func write(_ consumption: [String: Double], to bytes: inout [UInt8]) {
        JSONObjectWriter.object(to: &bytes) { object in
            for key in consumption.keys.sorted() { object.field(key, consumption[key]) }
        }
    }
}

extension BilledReading {
    func writeJSON(to bytes: inout [UInt8]) {
        JSONObjectWriter.object(to: &bytes) { object in
            object.field("at", at)
            object.field("index", index)
            object.field("source", source.rawValue)
        }
    }
}

extension PriceQuote {
    public func writeJSON(to bytes: inout [UInt8]) {
        JSONObjectWriter.object(to: &bytes) { object in
            object.field("currency", currency)
            object.field("from", from)
            object.field("lines") { bytes in
                JSONObjectWriter.array(lines, to: &bytes) { line, bytes in
                    JSONObjectWriter.object(to: &bytes) { object in
                        object.field("amount", line.amount)
                        object.field("charge", line.charge?.rawValue)
                        object.field("kind", line.kind.rawValue)
                        object.field("name", line.name)
                        object.field("part", line.part)
                        object.field("quantity", line.quantity)
                        object.field("unit", line.unit)
                        object.field("unitPrice", line.unitPrice?.description)
                    }
                }
            }
            object.field("minorDigits", minorDigits)
            object.field("parts") { bytes in
                JSONObjectWriter.array(parts, to: &bytes) { part, bytes in
                    JSONObjectWriter.object(to: &bytes) { object in
                        object.field("from", part.from)
                        object.field("to", part.to)
                        object.field("version", part.version)
                    }
                }
            }
            object.field("tariffCode", tariffCode)
            object.field("to", to)
            object.field("total", total)
        }
    }
}

extension BillIssued {
    public var json: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + bills.count * 400)
        JSONObjectWriter.object(to: &bytes) { object in
            object.field("bills") { bytes in
                JSONObjectWriter.array(bills, to: &bytes) { bill, bytes in
                    JSONObjectWriter.object(to: &bytes) { object in
                        object.field("amountDue", bill.amountDue)
                        object.field("billId", bill.billId)
                        object.field("charges", bill.charges)
                        object.field("consumption") { bytes in Bill.write(bill.consumption, to: &bytes) }
                        object.field("currency", bill.currency)
                        object.field("customerNumber", bill.customerNumber)
                        object.field("dueDate", bill.dueDate)
                        object.field("estimated", bill.estimated)
                        object.field("from", bill.from)
                        object.field("issueDate", bill.issueDate)
                        object.field("kind", bill.kind.rawValue)
                        object.field("region", bill.region)
                        object.field("subscriptionNumber", bill.subscriptionNumber)
                        object.field("tariffCode", bill.tariffCode)
                        object.field("to", bill.to)
                        object.field("utility", bill.utility.rawValue)
                    }
                }
            }
            object.field("runId", runId)
        }
        return bytes
    }
}

extension PostBillCharges {
    public var json: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32 + charges.count * 260)
        JSONObjectWriter.object(to: &bytes) { object in
            object.field("charges") { bytes in JSONObjectWriter.array(charges, to: &bytes) { charge, bytes in charge.writeJSON(to: &bytes) } }
        }
        return bytes
    }
}
