# magent_warnings(target): the project's warning set, errors with MAGENT_WERROR (CI).
function(magent_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    # Designated initializers ({.name = "x"}) are the house style for option structs.
    -Wno-missing-field-initializers
    $<$<BOOL:${MAGENT_WERROR}>:-Werror>)
endfunction()
