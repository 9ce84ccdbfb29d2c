import CivilTime
import Contracts
import Tabular
/// Compiles one ``TableSchema/Field`` into a ``CompiledField``, reporting anything that
/// would make frictionless reject the schema or crash on the first row.
enum FieldCompiler {
    static func compile(_ field: TableSchema.Field,
                        schemaMissingValues: [String]?) throws(SchemaError) -> CompiledField {
        let name = field.name
        guard let type = FieldType(rawValue: field.effectiveType) else {
            throw SchemaError(code: SchemaError.unknownType,
                message: "Field \"\(name)\" has type \"\(field.effectiveType)\", which is not a Table Schema type; "
                    + "use one of \(FieldType.allCases.map(\.rawValue).joined(separator: ", ")).",
                field: name)
        }
        let constraints = field.constraints ?? TableSchema.Constraints()
        for constraint in constraints.declaredNames where !type.supportedConstraints.contains(constraint) {
            throw SchemaError(code: SchemaError.unsupportedConstraint,
                message: "Field \"\(name)\" of type \(type.rawValue) cannot have the \"\(constraint)\" "
                    + "constraint; \(type.rawValue) supports \(type.supportedConstraints.joined(separator: ", ")).",
                field: name)
        }
        let caster = FieldCaster(kind: try kind(for: field, type: type))
        var checks: [CompiledField.Check] = []
        for constraint in type.supportedConstraints {
            if let check = try compileCheck(constraint, of: field, constraints, caster) { checks.append(check) }
        }
        return CompiledField(
            name: name, typeName: type.rawValue, formatName: field.effectiveFormat, caster: caster,
            missingValues: MissingValues(field.missingValues ?? schemaMissingValues ?? [""]),
            isRequired: constraints.required ?? false, checks: checks)
    }

    private static func kind(for field: TableSchema.Field, type: FieldType) throws(SchemaError) -> FieldCaster.Kind {
        var format = field.effectiveFormat
        if format.hasPrefix("fmt:") { format.removeFirst(4) }  // Table Schema v1 spelling
        func badFormat(_ detail: String) -> SchemaError {
            SchemaError(code: SchemaError.badFormat,
                message: "Field \"\(field.name)\" has format \"\(format)\": \(detail)", field: field.name)
        }
        if let named = type.namedFormats, !named.contains(format) {
            throw badFormat("a \(type.rawValue) field's format must be one of \(named.joined(separator: ", "))"
                + (format == "wkt" ? " (wkt is not supported by this validator)" : "") + ".")
        }
        switch type {
        case .string: return .string(FieldCaster.StringFormat(rawValue: format)!)
        case .integer: return .integer(NumberReader(bareNumber: field.bareNumber, groupChar: nil, decimalChar: nil))
        case .number:
            if field.decimalChar == "" {
                throw SchemaError(code: SchemaError.badNumberFormat,
                    message: "Field \"\(field.name)\" has an empty decimalChar; omit it to use \".\".",
                    field: field.name)
            }
            return .number(NumberReader(bareNumber: field.bareNumber, groupChar: field.groupChar,
                                        decimalChar: field.decimalChar))
        case .boolean:
            return .boolean(trueValues: field.trueValues ?? ["true", "True", "TRUE", "1"],
                            falseValues: field.falseValues ?? ["false", "False", "FALSE", "0"])
        case .date, .time, .datetime:
            let temporal: FieldCaster.TemporalFormat
            switch format {
            case "default": temporal = .iso
            case "any": temporal = .loose
            default:
                let compiled: Result<StrptimeFormat, StrptimeFormat.FormatError> = Result {
                    () throws(StrptimeFormat.FormatError) in try StrptimeFormat(format, dialect: .python)
                }
                switch compiled {
                case .success(let pattern): temporal = .pattern(pattern)
                case .failure(.strayPercent):
                    throw badFormat("it ends with a lone \"%\"; write \"%%\" for a literal percent sign.")
                case .failure(.unsupported(let directive, _)):
                    throw badFormat("the directive \"%\(directive)\" is not supported; use %Y %y %m %d %H %I %p "
                        + "%M %S %f %z %j %b %B %a %A or %%.")
                case .failure(.repeated(let directive, _)):
                    throw badFormat("the directive \"%\(directive)\" appears twice.")
                case .failure(.missingDateFields):
                    preconditionFailure("the python dialect requires no field")
                }
            }
            return type == .date ? .date(temporal) : (type == .time ? .time(temporal) : .datetime(temporal))
        case .year: return .year
        case .yearmonth: return .yearmonth
        case .duration: return .duration
        case .geopoint: return .geopoint(GeopointReader(format: GeopointReader.Format(rawValue: format)!))
        case .object: return .object
        case .array: return .array
        case .any: return .any
        }
    }

    private static func compileCheck(_ name: String, of field: TableSchema.Field,
                                     _ constraints: TableSchema.Constraints,
                                     _ caster: FieldCaster) throws(SchemaError) -> CompiledField.Check? {
        func bad(_ detail: String) -> SchemaError {
            SchemaError(code: SchemaError.badConstraint,
                message: "Field \"\(field.name)\" has \"\(name)\" \(detail)", field: field.name)
        }
        func bound(_ value: SchemaValue?) throws(SchemaError) -> (TypedValue, String)? {
            guard let value else { return nil }
            guard let typed = cast(value, with: caster) else {
                throw bad("\(value.jsonText), which is not a valid \(field.effectiveType) in format "
                    + "\"\(field.effectiveFormat)\"; write it the way cells of this field are written.")
            }
            return (typed, value.cellText)
        }
        switch name {
        case "minLength", "maxLength":
            guard let limit = name == "minLength" ? constraints.minLength : constraints.maxLength else { return nil }
            guard limit >= 0 else { throw bad("\(limit); lengths cannot be negative.") }
            return name == "minLength" ? .minLength(limit) : .maxLength(limit)
        case "minimum": return try bound(constraints.minimum).map { .minimum($0.0, text: $0.1) }
        case "maximum": return try bound(constraints.maximum).map { .maximum($0.0, text: $0.1) }
        case "exclusiveMinimum": return try bound(constraints.exclusiveMinimum).map { .exclusiveMinimum($0.0, text: $0.1) }
        case "exclusiveMaximum": return try bound(constraints.exclusiveMaximum).map { .exclusiveMaximum($0.0, text: $0.1) }
        case "pattern":
            guard let pattern = constraints.pattern else { return nil }
            do {
                return .pattern(try PatternMatcher(pattern))
            } catch {
                throw SchemaError(code: SchemaError.badPattern,
                    message: "Field \"\(field.name)\" has pattern \"\(pattern)\", which is not a valid regular "
                        + "expression; fix its syntax (it is matched against the whole value).",
                    field: field.name)
            }
        case "enum":
            guard let entries = constraints.enum else { return nil }
            var keys: Set<String> = []
            for entry in entries {
                guard let typed = cast(entry, with: caster) else {
                    throw bad("entry \(entry.jsonText), which is not a valid \(field.effectiveType) in format "
                        + "\"\(field.effectiveFormat)\"; remove it or write it like the field's cells.")
                }
                if let key = typed.equalityKey { keys.insert(key) }
            }
            return .oneOf(keys, text: "[" + entries.map(\.cellText).joined(separator: ", ") + "]")
        default:
            return nil
        }
    }

    /// Casts a schema value the way frictionless's value readers treat a JSON value:
    /// strings are read like cells; numbers, booleans, arrays and objects only where the
    /// Python reader accepts that Python type.
    static func cast(_ value: SchemaValue, with caster: FieldCaster) -> TypedValue? {
        if case .string(let text) = value { return caster.cast(text) }
        switch (caster.kind, value) {
        case (.integer, .integer(let number)): return .integer(.small(number))
        case (.integer, .number(let number)):
            guard number.isFinite, number == number.rounded() else { return nil }
            let exact = DecimalNumber(exactly: number)
            return .integer(exact.int64Value.map { .small($0) } ?? .big(exact))
        case (.number, .integer(let number)): return .number(DecimalNumber(number))
        case (.number, .number(let number)):
            // Python: Decimal(str(float)), i.e. the shortest round-trip text.
            let text = Array(number.description.utf8)
            return text.withUnsafeBufferPointer { PythonNumberSyntax.parseDecimal($0) }.map { .number($0) }
        case (.boolean, .bool(let flag)): return .boolean(flag)
        case (.year, .integer(let number)):
            return (0...9999).contains(number) ? .year(Int(number)) : nil
        case (.yearmonth, .array(let items)):
            guard items.count == 2, case .integer(let year) = items[0], case .integer(let month) = items[1]
            else { return nil }
            return .yearmonth(.small(year), Int(month))
        case (.geopoint, .array(let items)):
            guard items.count == 2, let lon = decimal(items[0]), let lat = decimal(items[1]) else { return nil }
            return GeopointReader.point(lon, lat, text: lon.plainText + "," + lat.plainText)
        case (.object, .object), (.array, .array):
            let text = value.jsonText
            return JSONText.parse(text).map { .json($0, text: text) }
        default:
            return nil
        }
    }

    private static func decimal(_ value: SchemaValue) -> DecimalNumber? {
        switch value {
        case .integer(let number): return DecimalNumber(number)
        case .number(let number): return DecimalNumber(exactly: number)
        case .bool(let flag): return DecimalNumber(flag ? 1 : 0)
        default: return nil
        }
    }
}
