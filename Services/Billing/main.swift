// The billing service: see Billings.swift.
import Foundation

do {
    try await Billings().runFromEnvironment()
} catch {
    FileHandle.standardError.write(Data("billing: \(error)\n".utf8))
    exit(1)
}
