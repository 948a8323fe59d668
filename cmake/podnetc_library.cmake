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
  # libFuzzer's coverage (cmake/sanitizers.cmake) for what tests/fuzz/ reaches: the
  # libraries of compiler/, not those of runtime/ or the tests in the same tree.
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  if(PODNETC_FUZZ AND folder MATCHES "^compiler/")
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer-no-link)
    podnetc_use_pch(${name} FUZZ)
  else()
    podnetc_use_pch(${name})
  endif()
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

# PODNETC_PCH: one precompiled header of the standard and fmt headers that most files
# include, built once (target podnetc_pch) and reused by every library and program
# (podnetc_use_pch). It holds no podnetc header, so tools/check-includes, which reads
# the sources, sees every include edge as before; a file that forgets a standard or
# fmt include compiles only with it, so -DPODNETC_PCH=OFF checks that every file
# includes what it uses. With PODNETC_FUZZ a second one, podnetc_pch_fuzz, for the
# files built with libFuzzer's coverage: clang uses a PCH only with the same
# -fsanitize flags.
if(PODNETC_PCH)
  set(_pch_source ${PROJECT_BINARY_DIR}/podnetc_pch.cpp)
  file(CONFIGURE OUTPUT ${_pch_source} CONTENT "// The PCH's own translation unit (cmake/podnetc_library.cmake).\n")
  set(_pch_targets podnetc_pch)
  if(PODNETC_FUZZ)
    list(APPEND _pch_targets podnetc_pch_fuzz)
  endif()
  foreach(_pch ${_pch_targets})
    add_library(${_pch} OBJECT ${_pch_source})
    target_link_libraries(${_pch} PRIVATE fmt::fmt)
    podnetc_warnings(${_pch})
    target_precompile_headers(${_pch} PRIVATE
      <algorithm> <array> <chrono> <cstddef> <cstdint> <functional> <map> <optional>
      <set> <span> <string> <string_view> <utility> <vector> <fmt/format.h>)
  endforeach()
  if(PODNETC_FUZZ)
    target_compile_options(podnetc_pch_fuzz PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endif()

# podnetc_use_pch(TARGET [FUZZ]): builds TARGET with the shared PCH (FUZZ: the one for
# files with -fsanitize=fuzzer-no-link); a no-op without PODNETC_PCH. The PCH was made
# with fmt's definitions (FMT_SHARED), so TARGET gets them too: a PCH is only used by
# a file compiled with the same macros.
function(podnetc_use_pch target)
  if(PODNETC_PCH)
    set(pch podnetc_pch)
    if("FUZZ" IN_LIST ARGN)
      set(pch podnetc_pch_fuzz)
    endif()
    target_link_libraries(${target} PRIVATE fmt::fmt)
    target_precompile_headers(${target} REUSE_FROM ${pch})
  endif()
endfunction()
