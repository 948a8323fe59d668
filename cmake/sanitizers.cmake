# PODNETC_SANITIZE: AddressSanitizer + UndefinedBehaviorSanitizer for everything.
# PODNETC_FUZZ (clang): the libFuzzer targets of tests/fuzz/, and ASan + UBSan as
# with PODNETC_SANITIZE; the libraries of compiler/ are also instrumented for
# libFuzzer's coverage (cmake/podnetc_library.cmake) and only the fuzz targets link
# libFuzzer's main. So one tree serves the sanitizer unit and golden tests and the
# fuzzer (tools/test builds build-asan/ so): podnetc and the unit tests link just the
# sanitizers' runtimes, whose default coverage callbacks do nothing.
if(PODNETC_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "PODNETC_FUZZ needs clang (libFuzzer): CC=clang CXX=clang++ cmake ...")
endif()
if(PODNETC_SANITIZE OR PODNETC_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
