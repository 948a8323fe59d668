# `cpack -G DEB` in the build directory (or the target `deb`) builds
# podnetc_VERSION-1_ARCH.deb from the install rules: stripped binary, dependencies
# from the libraries it links (dpkg-shlibdeps), changelog.Debian.gz for lintian.
# tests/dist/check-deb.sh builds and inspects it.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME podnetc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "podnetc maintainers <maintainers@users.noreply.r-seed-5544b7bf.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "declarative pod networking for a Linux node")
set(CPACK_PACKAGE_DESCRIPTION
    "podnetc compiles a topology file (.pnet or TOML) for one node, plans it against\n"
    "the live kernel and applies the plan as one transaction over rtnetlink, undoing\n"
    "every change if the kernel refuses one. Bridged, routed and meshed pods in\n"
    "network namespaces. The agent keeps a node converged from a file or a git\n"
    "working copy. Includes systemd units, man pages and bash completion.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# changelog.Debian.gz, gzip -n so that the package is reproducible.
set(changelog ${PROJECT_BINARY_DIR}/changelog.Debian.gz)
add_custom_command(OUTPUT ${changelog}
  COMMAND sh -c "gzip -9n < \"$0\" > \"$1\"" ${PROJECT_SOURCE_DIR}/dist/debian/changelog ${changelog}
  DEPENDS ${PROJECT_SOURCE_DIR}/dist/debian/changelog
  VERBATIM)
add_custom_target(podnetc_changelog ALL DEPENDS ${changelog})
install(FILES ${changelog} DESTINATION ${CMAKE_INSTALL_DOCDIR})
include(CPack)

add_custom_target(deb
  COMMAND ${CMAKE_CPACK_COMMAND} -G DEB --config ${PROJECT_BINARY_DIR}/CPackConfig.cmake
  WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
  DEPENDS podnetc podnetc_man podnetc_changelog
  COMMENT "cpack -G DEB")
