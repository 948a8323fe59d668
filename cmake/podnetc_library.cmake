# podnetc_library(NAME SOURCES file... [DEPENDS lib...] [PRIVATE_DEPENDS lib...])
#
# One stage of the pipeline: a static library built from the files of its own folder,
# listed by hand (no GLOB), with the libraries it may use declared. Every library is
# recorded with its folder and its declared dependencies; tools/check-includes reads
# that record on every build and fails it when a file includes a header of a stage its
# library does not depend on, or when a source file of a folder is not built
# (docs/ARCHITECTURE.md draws the arrows).
function(podnetc_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  list(TRANSFORM ARG_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPENDS} PRIVATE ${ARG_PRIVATE_DEPENDS})
  podnetc_warnings(${name})
  _podnetc_record_layer(${name} "${ARG_DEPENDS};${ARG_PRIVATE_DEPENDS}" "${ARG_SOURCES}")
endfunction()

# A stage without sources of its own (the header-only grammar).
function(podnetc_header_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS" ${ARGN})
  add_library(${name} INTERFACE)
  target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} INTERFACE ${ARG_DEPENDS})
  _podnetc_record_layer(${name} "${ARG_DEPENDS}" "")
endfunction()

# One line per library: name, folder, dependencies, sources (comma-separated; only
# podnetc's own libraries count as dependencies, external ones are ignored).
function(_podnetc_record_layer name deps sources)
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  list(FILTER deps INCLUDE REGEX "^podnetc_")
  list(JOIN deps "," deps)
  set(names)
  foreach(source ${sources})
    get_filename_component(base ${source} NAME)
    list(APPEND names ${base})
  endforeach()
  list(JOIN names "," names)
  set_property(GLOBAL APPEND PROPERTY PODNETC_LAYERS "${name} ${folder} ${deps}: ${names}")
endfunction()

# After every library is declared: write the record and check on every build.
function(podnetc_check_layers)
  get_property(layers GLOBAL PROPERTY PODNETC_LAYERS)
  list(JOIN layers "\n" text)
  set(record ${PROJECT_BINARY_DIR}/layers.txt)
  file(WRITE ${record} "${text}\n")
  add_custom_target(podnetc_layer_check ALL
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/check-includes
            --root ${PROJECT_SOURCE_DIR} --layers ${record}
    COMMENT "Checking that includes follow the declared library dependencies"
    VERBATIM)
endfunction()
