// The reports service: see Reports.swift.
import Foundation

do {
    try await Reports().runFromEnvironment()
} catch {
    FileHandle.standardError.write(Data("reports: \(error)\n".utf8))
    exit(1)
}
