.class public Lorg/hypercompat/shim/gms/tasks/Task;
.super Ljava/lang/Object;
.source "Task.smali"

# Portable stand-in for com.google.android.gms.tasks.Task: a result or an exception, delivered
# to listeners on the thread that completes the task, or at once when it is already complete.
# No Play services needed.

.field private complete:Z
.field private result:Ljava/lang/Object;
.field private exception:Ljava/lang/Exception;
.field private final successListeners:Ljava/util/ArrayList;
.field private final failureListeners:Ljava/util/ArrayList;
.field private final completeListeners:Ljava/util/ArrayList;

.method public constructor <init>()V
    .registers 2
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    new-instance v0, Ljava/util/ArrayList;
    invoke-direct {v0}, Ljava/util/ArrayList;-><init>()V
    iput-object v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->successListeners:Ljava/util/ArrayList;
    new-instance v0, Ljava/util/ArrayList;
    invoke-direct {v0}, Ljava/util/ArrayList;-><init>()V
    iput-object v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->failureListeners:Ljava/util/ArrayList;
    new-instance v0, Ljava/util/ArrayList;
    invoke-direct {v0}, Ljava/util/ArrayList;-><init>()V
    iput-object v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->completeListeners:Ljava/util/ArrayList;
    return-void
.end method

.method public isComplete()Z
    .registers 2
    monitor-enter p0
    iget-boolean v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->complete:Z
    monitor-exit p0
    return v0
.end method

.method public isSuccessful()Z
    .registers 3
    monitor-enter p0
    iget-boolean v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->complete:Z
    if-eqz v0, :no
    iget-object v1, p0, Lorg/hypercompat/shim/gms/tasks/Task;->exception:Ljava/lang/Exception;
    if-nez v1, :no
    const/4 v0, 0x1
    goto :done
    :no
    const/4 v0, 0x0
    :done
    monitor-exit p0
    return v0
.end method

.method public isCanceled()Z
    .registers 2
    const/4 v0, 0x0
    return v0
.end method

.method public getResult()Ljava/lang/Object;
    .registers 4
    monitor-enter p0
    iget-boolean v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->complete:Z
    if-eqz v0, :incomplete
    iget-object v1, p0, Lorg/hypercompat/shim/gms/tasks/Task;->exception:Ljava/lang/Exception;
    if-nez v1, :failed
    iget-object v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->result:Ljava/lang/Object;
    monitor-exit p0
    return-object v0
    :failed
    monitor-exit p0
    new-instance v2, Ljava/lang/RuntimeException;
    invoke-direct {v2, v1}, Ljava/lang/RuntimeException;-><init>(Ljava/lang/Throwable;)V
    throw v2
    :incomplete
    monitor-exit p0
    new-instance v2, Ljava/lang/IllegalStateException;
    const-string v1, "Task is not yet complete"
    invoke-direct {v2, v1}, Ljava/lang/IllegalStateException;-><init>(Ljava/lang/String;)V
    throw v2
.end method

.method public getException()Ljava/lang/Exception;
    .registers 2
    monitor-enter p0
    iget-object v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->exception:Ljava/lang/Exception;
    monitor-exit p0
    return-object v0
.end method

.method public addOnSuccessListener(Lorg/hypercompat/shim/gms/tasks/OnSuccessListener;)Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 4
    monitor-enter p0
    iget-boolean v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->complete:Z
    if-nez v0, :complete
    iget-object v1, p0, Lorg/hypercompat/shim/gms/tasks/Task;->successListeners:Ljava/util/ArrayList;
    invoke-virtual {v1, p1}, Ljava/util/ArrayList;->add(Ljava/lang/Object;)Z
    monitor-exit p0
    return-object p0
    :complete
    iget-object v1, p0, Lorg/hypercompat/shim/gms/tasks/Task;->exception:Ljava/lang/Exception;
    iget-object v2, p0, Lorg/hypercompat/shim/gms/tasks/Task;->result:Ljava/lang/Object;
    monitor-exit p0
    if-nez v1, :skip
    invoke-interface {p1, v2}, Lorg/hypercompat/shim/gms/tasks/OnSuccessListener;->onSuccess(Ljava/lang/Object;)V
    :skip
    return-object p0
.end method

.method public addOnFailureListener(Lorg/hypercompat/shim/gms/tasks/OnFailureListener;)Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 3
    monitor-enter p0
    iget-boolean v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->complete:Z
    if-nez v0, :complete
    iget-object v1, p0, Lorg/hypercompat/shim/gms/tasks/Task;->failureListeners:Ljava/util/ArrayList;
    invoke-virtual {v1, p1}, Ljava/util/ArrayList;->add(Ljava/lang/Object;)Z
    monitor-exit p0
    return-object p0
    :complete
    iget-object v1, p0, Lorg/hypercompat/shim/gms/tasks/Task;->exception:Ljava/lang/Exception;
    monitor-exit p0
    if-eqz v1, :skip
    invoke-interface {p1, v1}, Lorg/hypercompat/shim/gms/tasks/OnFailureListener;->onFailure(Ljava/lang/Exception;)V
    :skip
    return-object p0
.end method

.method public addOnCompleteListener(Lorg/hypercompat/shim/gms/tasks/OnCompleteListener;)Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 3
    monitor-enter p0
    iget-boolean v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->complete:Z
    if-nez v0, :complete
    iget-object v1, p0, Lorg/hypercompat/shim/gms/tasks/Task;->completeListeners:Ljava/util/ArrayList;
    invoke-virtual {v1, p1}, Ljava/util/ArrayList;->add(Ljava/lang/Object;)Z
    monitor-exit p0
    return-object p0
    :complete
    monitor-exit p0
    invoke-interface {p1, p0}, Lorg/hypercompat/shim/gms/tasks/OnCompleteListener;->onComplete(Lorg/hypercompat/shim/gms/tasks/Task;)V
    return-object p0
.end method

# Completes the task once; later calls are ignored. Listeners run outside the lock.
.method public setResult(Ljava/lang/Object;Ljava/lang/Exception;)V
    .registers 9
    monitor-enter p0
    iget-boolean v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->complete:Z
    if-eqz v0, :first
    monitor-exit p0
    return-void
    :first
    const/4 v0, 0x1
    iput-boolean v0, p0, Lorg/hypercompat/shim/gms/tasks/Task;->complete:Z
    iput-object p1, p0, Lorg/hypercompat/shim/gms/tasks/Task;->result:Ljava/lang/Object;
    iput-object p2, p0, Lorg/hypercompat/shim/gms/tasks/Task;->exception:Ljava/lang/Exception;
    new-instance v1, Ljava/util/ArrayList;
    iget-object v2, p0, Lorg/hypercompat/shim/gms/tasks/Task;->successListeners:Ljava/util/ArrayList;
    invoke-direct {v1, v2}, Ljava/util/ArrayList;-><init>(Ljava/util/Collection;)V
    new-instance v2, Ljava/util/ArrayList;
    iget-object v3, p0, Lorg/hypercompat/shim/gms/tasks/Task;->failureListeners:Ljava/util/ArrayList;
    invoke-direct {v2, v3}, Ljava/util/ArrayList;-><init>(Ljava/util/Collection;)V
    new-instance v3, Ljava/util/ArrayList;
    iget-object v4, p0, Lorg/hypercompat/shim/gms/tasks/Task;->completeListeners:Ljava/util/ArrayList;
    invoke-direct {v3, v4}, Ljava/util/ArrayList;-><init>(Ljava/util/Collection;)V
    monitor-exit p0
    const/4 v4, 0x0
    if-nez p2, :failures
    :success_loop
    invoke-virtual {v1}, Ljava/util/ArrayList;->size()I
    move-result v5
    if-lt v4, v5, :success_call
    goto :completes
    :success_call
    invoke-virtual {v1, v4}, Ljava/util/ArrayList;->get(I)Ljava/lang/Object;
    move-result-object v6
    check-cast v6, Lorg/hypercompat/shim/gms/tasks/OnSuccessListener;
    invoke-interface {v6, p1}, Lorg/hypercompat/shim/gms/tasks/OnSuccessListener;->onSuccess(Ljava/lang/Object;)V
    add-int/lit8 v4, v4, 0x1
    goto :success_loop
    :failures
    invoke-virtual {v2}, Ljava/util/ArrayList;->size()I
    move-result v5
    if-lt v4, v5, :failure_call
    goto :completes
    :failure_call
    invoke-virtual {v2, v4}, Ljava/util/ArrayList;->get(I)Ljava/lang/Object;
    move-result-object v6
    check-cast v6, Lorg/hypercompat/shim/gms/tasks/OnFailureListener;
    invoke-interface {v6, p2}, Lorg/hypercompat/shim/gms/tasks/OnFailureListener;->onFailure(Ljava/lang/Exception;)V
    add-int/lit8 v4, v4, 0x1
    goto :failures
    :completes
    const/4 v4, 0x0
    :complete_loop
    invoke-virtual {v3}, Ljava/util/ArrayList;->size()I
    move-result v5
    if-lt v4, v5, :complete_call
    return-void
    :complete_call
    invoke-virtual {v3, v4}, Ljava/util/ArrayList;->get(I)Ljava/lang/Object;
    move-result-object v6
    check-cast v6, Lorg/hypercompat/shim/gms/tasks/OnCompleteListener;
    invoke-interface {v6, p0}, Lorg/hypercompat/shim/gms/tasks/OnCompleteListener;->onComplete(Lorg/hypercompat/shim/gms/tasks/Task;)V
    add-int/lit8 v4, v4, 0x1
    goto :complete_loop
.end method
