# FHS install layout. The binary goes to bin, not sbin: `check`, `plan`
# and `compile` are useful to any user; only apply, destroy and agent need privileges.
# Only the product `podnetc` is installed, never podnetc-test-switches or test tools.
include(GNUInstallDirs)
install(TARGETS podnetc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES dist/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Units live under lib/systemd/system on Debian 12 whatever the libdir is.
install(FILES dist/systemd/podnetc-agent.service
              dist/systemd/podnetc-apply.service
              dist/systemd/podnetc-apply.timer
        DESTINATION lib/systemd/system)
install(FILES dist/bash-completion/podnetc
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
include(cmake/man_pages.cmake)
include(cmake/package.cmake)
