import Contracts

extension CustomerDetails {
    /// Every problem of the details, in the order of the fields; empty when they may be stored.
    public var problems: [FieldProblem] {
        var problems: [FieldProblem] = []
        func text(_ value: String?, _ field: String, required: Bool, max: Int) {
            guard let value, !value.trimmed.isEmpty else {
                if required { problems.append(FieldProblem(field, "is required")) }
                return
            }
            if value.count > max { problems.append(FieldProblem(field, "must be at most \(max) characters")) }
        }
        switch kind {
        case .person:
            if let id = nationalId, !id.isEmpty {
                if !id.isShaped(5...20, rest: ASCII.isLetterOrDigit) { problems.append(FieldProblem("nationalId", "must be 5 to 20 letters or digits")) }
            } else {
                problems.append(FieldProblem("nationalId", "is required for a person"))
            }
            if companyRegistrationNumber != nil { problems.append(FieldProblem("companyRegistrationNumber", "is for an organisation, not a person")) }
            text(firstName, "firstName", required: true, max: 100)
            text(lastName, "lastName", required: true, max: 100)
            if organisationName != nil { problems.append(FieldProblem("organisationName", "is for an organisation, not a person")) }
        case .organisation:
            if let number = companyRegistrationNumber, !number.isEmpty {
                if !number.isShaped(3...30, rest: { ASCII.isLetterOrDigit($0) || $0 == 45 || $0 == 47 }) {
                    problems.append(FieldProblem("companyRegistrationNumber", "must be 3 to 30 letters, digits, dashes or slashes"))
                }
            } else {
                problems.append(FieldProblem("companyRegistrationNumber", "is required for an organisation"))
            }
            if nationalId != nil { problems.append(FieldProblem("nationalId", "is for a person, not an organisation")) }
            text(organisationName, "organisationName", required: true, max: 200)
        }
        if phones.isEmpty { problems.append(FieldProblem("phones", "at least one phone number is required")) }
        for (index, phone) in phones.enumerated() where !phone.isPhoneNumber {
            problems.append(FieldProblem("phones[\(index)]", "is not a phone number"))
        }
        if let email, !email.isEmpty, !email.isEmailAddress || email.count > 254 {
            problems.append(FieldProblem("email", "is not an e-mail address"))
        }
        text(address.line1, "address.line1", required: true, max: 200)
        text(address.line2, "address.line2", required: false, max: 200)
        text(address.city, "address.city", required: true, max: 100)
        text(address.postcode, "address.postcode", required: false, max: 20)
        if !address.country.isCapitals(2) { problems.append(FieldProblem("address.country", "must be an ISO 3166 country code like IR")) }
        if !preferredLanguage.isLanguageTag {
            problems.append(FieldProblem("preferredLanguage", "must be a language tag like fa or en-GB"))
        }
        return problems
    }
}

extension String {
    var trimmed: String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice = slice.dropFirst() }
        while slice.last?.isWhitespace == true { slice = slice.dropLast() }
        return String(slice)
    }
}
