import SuginamiGIS

/// The OpenAPI 3.0 description of the daemon (`/api`): clients such as GDAL read the `limit`
/// maximum and the parameters they may send from it.
enum OpenAPIDescription {
    static func document(collectionIDs: [String]) -> JSONValue {
        func parameter(
            _ name: String, in location: String = "query", schema: JSONValue, required: Bool = false, _ text: String
        ) -> JSONValue {
            .object([
                ("name", .string(name)), ("in", .string(location)), ("required", .bool(required)),
                ("description", .string(text)), ("schema", schema),
            ])
        }
        func string(_ values: [String]? = nil) -> JSONValue {
            var pairs: [(key: String, value: JSONValue)] = [("type", .string("string"))]
            if let values { pairs.append(("enum", .array(values.map(JSONValue.string)))) }
            return .object(pairs)
        }
        func answer(_ type: String, _ text: String) -> JSONValue {
            .object([
                ("200", .object([("description", .string(text)), ("content", .object([(type, .object([]))]))])),
                ("400", .object([("description", .string("a bad parameter, with a message saying which and why"))])),
                ("404", .object([("description", .string("no such resource"))])),
            ])
        }
        func get(_ summary: String, _ parameters: [JSONValue], _ type: String) -> JSONValue {
            .object([
                (
                    "get",
                    .object([
                        ("summary", .string(summary)), ("parameters", .array(parameters)),
                        ("responses", answer(type, summary)),
                    ])
                )
            ])
        }
        let crs = string(ServedCRS.allCases.map(\.rawValue))
        let collectionID = parameter(
            "collectionId", in: "path", schema: string(collectionIDs), required: true, "the collection")
        let format = parameter(
            "f", schema: string(["json", "html"]), "the format: JSON (the default) or an HTML page for a browser")
        let itemsParameters = [
            collectionID,
            parameter(
                "limit",
                schema: .object([
                    ("type", .string("integer")), ("minimum", .number(1)),
                    ("maximum", .number(Double(ItemsQuery.maximumLimit))),
                    ("default", .number(Double(ItemsQuery.defaultLimit))),
                ]),
                "features per page; larger values are clamped to the maximum"),
            parameter(
                "offset", schema: .object([("type", .string("integer")), ("minimum", .number(0))]),
                "features skipped (next links carry it)"),
            parameter(
                "bbox",
                schema: .object([
                    ("type", .string("array")), ("minItems", .number(4)), ("maxItems", .number(6)),
                    ("items", .object([("type", .string("number"))])),
                ]),
                "minx,miny,maxx,maxy in bbox-crs (CRS84 by default)"),
            parameter("bbox-crs", schema: crs, "the CRS of bbox"),
            parameter("datetime", schema: string(), "an RFC 3339 instant or interval (.. for an open end)"),
            parameter("crs", schema: crs, "the CRS of the answer"),
            format,
        ]
        let paths: [(key: String, value: JSONValue)] = [
            ("/", get("the landing page", [format], FeaturesDocuments.json)),
            ("/conformance", get("the conformance classes", [format], FeaturesDocuments.json)),
            ("/api", get("this document", [], FeaturesDocuments.openAPI)),
            ("/collections", get("the collections", [format], FeaturesDocuments.json)),
            ("/collections/{collectionId}", get("one collection", [collectionID, format], FeaturesDocuments.json)),
            (
                "/collections/{collectionId}/items",
                get("a page of features", itemsParameters, FeaturesDocuments.geoJSON)
            ),
            (
                "/collections/{collectionId}/items/{featureId}",
                get(
                    "one feature",
                    [
                        collectionID,
                        parameter("featureId", in: "path", schema: string(), required: true, "the feature id"),
                        parameter("crs", schema: crs, "the CRS of the answer"), format,
                    ],
                    FeaturesDocuments.geoJSON)
            ),
            (
                "/routes",
                get(
                    "a walking route to the nearest open relief centre (or to `to`), avoiding closed roads",
                    [
                        parameter("from", schema: string(), required: true, "the start, longitude,latitude"),
                        parameter(
                            "to", schema: string(),
                            "a destination, longitude,latitude (default: the nearest open relief centre)"),
                        parameter(
                            "room", schema: .object([("type", .string("integer")), ("minimum", .number(1))]),
                            "only centres with room for this many people"),
                        parameter(
                            "lang", schema: string(RouteLanguage.allCases.map(\.rawValue)),
                            "the language of the instructions (default: Accept-Language, then ja)"),
                    ],
                    FeaturesDocuments.geoJSON)
            ),
            ("/healthz", get("whether the process runs", [], "text/plain")),
            ("/readyz", get("whether the daemon serves (503 while starting or stopping)", [], "text/plain")),
            ("/metrics", get("Prometheus metrics", [], "text/plain")),
        ]
        return .object([
            ("openapi", .string("3.0.3")),
            (
                "info",
                .object([
                    ("title", .string("SuginamiKit reference daemon")),
                    ("version", .string(ReferenceServer.version)),
                    (
                        "description",
                        .string("OGC API – Features (Parts 1 and 2) over the ward's open data, and evacuation routes.")
                    ),
                ])
            ),
            ("paths", .object(paths)),
        ])
    }
}
