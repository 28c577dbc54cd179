// The ledger service: see Ledgers.swift.
import Foundation

let environment = ProcessInfo.processInfo.environment
let currencies = (environment["UTILIS_LEDGER_CURRENCIES"] ?? "IRR").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
do {
    try await Ledgers(currencies: currencies).runFromEnvironment()
} catch {
    FileHandle.standardError.write(Data("ledger: \(error)\n".utf8))
    exit(1)
}
