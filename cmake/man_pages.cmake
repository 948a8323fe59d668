# Man pages: the scdoc sources in dist/man rendered and gzipped at build time (part of
# ALL), installed under share/man. tests/dist/check-man-options.sh keeps podnetc.1.scd
# in step with every command's --help.
find_program(SCDOC scdoc)
if(NOT SCDOC)
  message(FATAL_ERROR "scdoc not found: it renders the man pages in dist/man/*.scd. "
                      "Install the Debian package scdoc (tools/install-deps does).")
endif()
set(PODNETC_MAN_PAGES podnetc.1 podnetc.pnet.5)
set(man_outputs)
foreach(page ${PODNETC_MAN_PAGES})
  set(source ${PROJECT_SOURCE_DIR}/dist/man/${page}.scd)
  set(output ${PROJECT_BINARY_DIR}/man/${page}.gz)
  # gzip -n: no name or timestamp in the header (lintian, reproducible packages).
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    COMMAND sh -c "\"$0\" < \"$1\" | gzip -9n > \"$2\"" ${SCDOC} ${source} ${output}
    DEPENDS ${source}
    COMMENT "scdoc ${page}"
    VERBATIM)
  string(REGEX MATCH "[0-9]$" section ${page})
  install(FILES ${output} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
  list(APPEND man_outputs ${output})
endforeach()
add_custom_target(podnetc_man ALL DEPENDS ${man_outputs})
