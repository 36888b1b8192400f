// What every SuginamiKit user needs from the dependency-free core (input errors, CSV, the
// all-or-nothing output directory) comes with `import SuginamiKit`.
@_exported import SuginamiCore
