.class public final Lorg/hypercompat/shim/firebase/FirebaseApp;
.super Ljava/lang/Object;
.source "FirebaseApp.smali"

# Portable stand-in for com.google.firebase.FirebaseApp: remembers the application context;
# there is no Firebase backend behind it.

.field private static instance:Lorg/hypercompat/shim/firebase/FirebaseApp;
.field private final context:Landroid/content/Context;

.method private constructor <init>(Landroid/content/Context;)V
    .registers 2
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lorg/hypercompat/shim/firebase/FirebaseApp;->context:Landroid/content/Context;
    return-void
.end method

.method public static initializeApp(Landroid/content/Context;)Lorg/hypercompat/shim/firebase/FirebaseApp;
    .registers 3
    const-class v1, Lorg/hypercompat/shim/firebase/FirebaseApp;
    monitor-enter v1
    sget-object v0, Lorg/hypercompat/shim/firebase/FirebaseApp;->instance:Lorg/hypercompat/shim/firebase/FirebaseApp;
    if-nez v0, :done
    new-instance v0, Lorg/hypercompat/shim/firebase/FirebaseApp;
    invoke-virtual {p0}, Landroid/content/Context;->getApplicationContext()Landroid/content/Context;
    move-result-object p0
    invoke-direct {v0, p0}, Lorg/hypercompat/shim/firebase/FirebaseApp;-><init>(Landroid/content/Context;)V
    sput-object v0, Lorg/hypercompat/shim/firebase/FirebaseApp;->instance:Lorg/hypercompat/shim/firebase/FirebaseApp;
    :done
    monitor-exit v1
    return-object v0
.end method

.method public static getInstance()Lorg/hypercompat/shim/firebase/FirebaseApp;
    .registers 3
    const-class v1, Lorg/hypercompat/shim/firebase/FirebaseApp;
    monitor-enter v1
    sget-object v0, Lorg/hypercompat/shim/firebase/FirebaseApp;->instance:Lorg/hypercompat/shim/firebase/FirebaseApp;
    monitor-exit v1
    if-nez v0, :done
    new-instance v0, Ljava/lang/IllegalStateException;
    const-string v1, "FirebaseApp is not initialized (HyperCompat shim: call FirebaseApp.initializeApp first)"
    invoke-direct {v0, v1}, Ljava/lang/IllegalStateException;-><init>(Ljava/lang/String;)V
    throw v0
    :done
    return-object v0
.end method

.method public getApplicationContext()Landroid/content/Context;
    .registers 2
    iget-object v0, p0, Lorg/hypercompat/shim/firebase/FirebaseApp;->context:Landroid/content/Context;
    return-object v0
.end method
