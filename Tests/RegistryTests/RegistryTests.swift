import Contracts
import Registry
import Testing

@Suite struct CheckDigitTests {
    @Test func theLuhnDigitIsTheKnownOne() {
        #expect(CheckDigit.luhn("7992739871") == 3)
        #expect(CheckDigit.luhn("00000421") == CheckDigit.luhn("421"))
    }

    @Test func aReferenceCarriesItsDigitAndAMistypeIsCaught() {
        let number = CheckDigit.reference("C", 421)
        #expect(number.hasPrefix("C-00000421-"))
        #expect(CheckDigit.isValid(number, prefix: "C"))
        #expect(!CheckDigit.isValid(number.replacingOccurrences(of: "C-00000421", with: "C-00000431"), prefix: "C"), "one digit mistyped")
        #expect(!CheckDigit.isValid(number.replacingOccurrences(of: "C-00000421", with: "C-00000412"), prefix: "C"), "two digits swapped")
        #expect(!CheckDigit.isValid(number, prefix: "S"))
        #expect(!CheckDigit.isValid("C-0000042a-1", prefix: "C") && !CheckDigit.isValid("C-00000421", prefix: "C"))
    }
}

@Suite struct CustomerDetailsTests {
    @Test func aGoodPersonHasNoProblems() {
        #expect(CustomerDetails.example.problems == [])
        #expect(CustomerDetails.example.identifier?.field == "nationalId")
        #expect(CustomerDetails.example.displayName == "Hassan Rezaei")
    }

    @Test func everyWrongFieldIsNamed() {
        var details = CustomerDetails.example
        details.nationalId = "12"
        details.lastName = " "
        details.phones = ["+98 21 5555 1234", "call me"]
        details.email = "not-an-address"
        details.address.city = ""
        details.address.country = "Iran"
        details.preferredLanguage = "Persian"
        details.organisationName = "Rezaei & Sons"
        #expect(details.problems.map(\.description) == [
            "nationalId: must be 5 to 20 letters or digits", "lastName: is required", "organisationName: is for an organisation, not a person",
            "phones[1]: is not a phone number", "email: is not an e-mail address", "address.city: is required",
            "address.country: must be an ISO 3166 country code like IR", "preferredLanguage: must be a language tag like fa or en-GB",
        ])
    }

    @Test func anOrganisationIsKnownByItsCompanyNumber() {
        let company = CustomerDetails(
            kind: .organisation, companyRegistrationNumber: "10103456789", organisationName: "Pars Bakery Co.", phones: ["021-5555-0000"],
            address: PostalAddress(line1: "4 Enghelab Square", city: "Tehran", country: "IR"), preferredLanguage: "fa")
        #expect(company.problems == [])
        #expect(company.identifier?.field == "companyRegistrationNumber" && company.displayName == "Pars Bakery Co.")
        var nameless = company
        nameless.organisationName = nil
        nameless.companyRegistrationNumber = nil
        nameless.phones = []
        #expect(nameless.problems.map(\.field) == ["companyRegistrationNumber", "organisationName", "phones"])
    }
}
