# FHS install layout. The binary goes to bin, not sbin: `check`, `plan`
# and `compile` are useful to any user; only apply and destroy need privileges.
include(GNUInstallDirs)
install(TARGETS podnetc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
# Units live under lib/systemd/system on Debian 12 whatever the libdir is.
install(FILES dist/systemd/podnetc-apply.service
              dist/systemd/podnetc-apply.timer
        DESTINATION lib/systemd/system)
