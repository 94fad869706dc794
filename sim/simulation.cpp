int loiter_sim_placeholder = 0;
